"""Checks for exercise 8: a residual MLP of any depth (ResidualMLP).

Decisions where the contract is silent (stated here so that graders and authors agree):
- Only `blocks` (an nn.ModuleList of exactly `depth` blocks) is a required attribute name.
  The input projection and the head are found by the shapes of the model's parameters
  that are not in `blocks` ((hid, in) + (hid,) and (out, hid) + (out,)), so
  `self.input_proj` / `self.head`, `self.proj` / `self.fc_out`, or an nn.Sequential all
  pass. Checks that need them draw in, hid and out pairwise different.
- A block's own `forward` is never called: a block may be the whole
  `h + Dropout(ReLU(Linear(h)))` or just `Linear` / `Sequential(Linear, ReLU, Dropout)`
  with the residual sum written in `ResidualMLP.forward`. Only the whole model is run;
  each block must hold exactly one Linear(hid, hid) with bias (its weight and bias are
  found by shape).
- The initialisation is free (default, Kaiming, blocks at zero so that each starts as the
  identity): the dropout checks overwrite the parameters with random values first.
- Dropout before or after the ReLU is the same function (dropout scales by a positive
  factor) and both are accepted.
- The input is (batch, in_features) with batch >= 1; empty batches and extra leading
  dimensions are not graded.
- "Gradients reach input_proj at depth 64": the gradient of the input projection's
  weight (float64, loss = output.sum()) must be finite, non-zero and not vanishing: at
  least 1e-4 times the head's gradient norm. A residual net gives 0.03–0.3 whatever the
  initialisation (default, Kaiming, zero-initialised blocks); a plain 64-layer MLP with the
  default initialisation about 1e-24.
- Expected values are computed here in numpy float64 from the model's own parameters. The
  checks named for a property of their own (eval mode deterministic, `.to(float64)`, device
  parity) also compare the output with them, so an output that is wrong everywhere collects
  none of their points.
- "Dropout only in training" implies the usual dropout: each block draws its own mask on
  every call. Checked with depth 3 and p = 0.5: two blocks' masks may agree on at most 60%
  of 4096 elements (independent masks agree on about 50%; one mask reused agrees on 100%).
"""

from __future__ import annotations

import copy
from contextlib import contextmanager
from typing import Any, Iterator

import numpy as np
import pytest
import torch
from hypothesis import example, given, settings
from hypothesis import strategies as st
from torch import nn

from checks import strategies as draw
from checks.compare import as_numpy, expect_close, expect_finite, expect_shape, expect_tensor
from checks.devices import expect_parity, on_every_device
from checks.feedback import Failure, T, expect, expect_raises
from checks.modules import expect_param_count
from checks.submission import student
from grader.plugin.determinism import seed_torch

ex = student("ex08_residual_mlp")

# Captured before student code is imported: the expected values cannot be patched.
_np_maximum = np.maximum
_np_abs = np.abs
_set_default_dtype = torch.set_default_dtype
_get_default_dtype = torch.get_default_dtype
_Module = nn.Module
_ModuleList = nn.ModuleList

ARCH_HELP = T(
    ja="h = input_proj(x)、各ブロックで h = h + Dropout(ReLU(Linear(h)))、最後に head(h)。"
       "活性化は各ブロックの Linear の直後だけで、残差の和の後や input_proj / head の後には付けません",
    en="h = input_proj(x); each block: h = h + Dropout(ReLU(Linear(h))); then head(h). The only "
       "activation is right after each block's Linear — none after the residual sum, input_proj or head",
)
REGISTER_HELP = T(
    ja="ブロックは nn.ModuleList に入れて self.blocks に代入すると、サブモジュールとして登録されます"
       "（Python のリストでは登録されません）",
    en="put the blocks in an nn.ModuleList assigned to self.blocks so they are registered as "
       "sub-modules (a plain Python list is not)",
)
DROPOUT_HELP = T(
    ja="nn.Dropout(p)（または F.dropout(x, p, training=self.training)）は model.train() のときだけ"
       "要素を確率 p で 0 にし、残りを 1/(1-p) 倍します。model.eval() では何もしません。"
       "model.train() / model.eval() が届くのは登録されたサブモジュール（nn.ModuleList の中など）だけです",
    en="nn.Dropout(p) (or F.dropout(x, p, training=self.training)) zeroes each element with "
       "probability p and scales the rest by 1/(1-p), only under model.train(); under model.eval() "
       "it does nothing. model.train() / model.eval() reach only registered sub-modules (e.g. those in "
       "an nn.ModuleList)",
)


# ---------------------------------------------------------------------------------------
# helpers


@contextmanager
def _default_dtype(dtype: torch.dtype) -> Iterator[None]:
    """Build the model directly in `dtype`, so the maths checks do not depend on `.to()`."""
    old = _get_default_dtype()
    _set_default_dtype(dtype)
    try:
        yield
    finally:
        _set_default_dtype(old)


def _build(in_f: int, hid: int, out: int, depth: int, dropout: float = 0.1, *,
           dtype: torch.dtype = torch.float32) -> nn.Module:
    with _default_dtype(dtype):
        model = ex.ResidualMLP(in_f, hid, out, depth, dropout)
    if not isinstance(model, _Module):
        raise Failure(
            T(ja=f"ResidualMLP(...) が nn.Module ではありません（{type(model).__qualname__}）",
              en=f"ResidualMLP(...) is not an nn.Module ({type(model).__qualname__})"),
            T(ja="class ResidualMLP(nn.Module) と書き、__init__ で super().__init__() を呼びます",
              en="write class ResidualMLP(nn.Module) and call super().__init__() in __init__"),
        )
    return model


def _blocks(model: nn.Module, depth: int, *, strict: bool) -> list[nn.Module]:
    """model.blocks as a list of `depth` modules. `strict`: it must be an nn.ModuleList
    (the maths checks accept any sequence, so a registration mistake is reported once)."""
    blocks = getattr(model, "blocks", None)
    if blocks is None:
        raise Failure(
            T(ja="model.blocks がありません", en="model.blocks does not exist"),
            T(ja="ブロックを self.blocks = nn.ModuleList([...]) として持たせます",
              en="keep the blocks as self.blocks = nn.ModuleList([...])"),
        )
    if strict and not isinstance(blocks, _ModuleList):
        raise Failure(
            T(ja=f"model.blocks が nn.ModuleList ではありません（{type(blocks).__qualname__}）",
              en=f"model.blocks is not an nn.ModuleList ({type(blocks).__qualname__})"),
            REGISTER_HELP,
        )
    try:
        items = list(blocks)
    except TypeError:
        raise Failure(
            T(ja=f"model.blocks を反復できません（{type(blocks).__qualname__}）",
              en=f"model.blocks is not iterable ({type(blocks).__qualname__})"),
            REGISTER_HELP,
        ) from None
    if len(items) != depth:
        raise Failure(
            T(ja=f"depth={depth} なのに model.blocks の長さが {len(items)} です",
              en=f"with depth={depth}, model.blocks has {len(items)} blocks"),
            T(ja="range(depth) でちょうど depth 個のブロックを作ります（depth=0 なら空の ModuleList）",
              en="create exactly depth blocks with range(depth) (an empty ModuleList when depth=0)"),
            counterexample=f"depth={depth}",
        )
    for k, b in enumerate(items):
        if not isinstance(b, _Module):
            raise Failure(
                T(ja=f"model.blocks[{k}] が nn.Module ではありません（{type(b).__qualname__}）",
                  en=f"model.blocks[{k}] is not an nn.Module ({type(b).__qualname__})"),
                REGISTER_HELP,
            )
    return items


def _shapes(params: list[torch.Tensor]) -> str:
    return "[" + ", ".join(str(tuple(p.shape)) for p in params) + "]"


class Parts:
    """The model's parameters, found by shape: input projection, blocks, head."""

    def __init__(self, model: nn.Module, in_f: int, hid: int, out: int, depth: int) -> None:
        self.blocks: list[tuple[torch.Tensor, torch.Tensor]] = []
        block_ids: set[int] = set()
        for k, block in enumerate(_blocks(model, depth, strict=False)):
            params = list(block.parameters())
            weights = [p for p in params if tuple(p.shape) == (hid, hid)]
            biases = [p for p in params if tuple(p.shape) == (hid,)]
            if len(params) != 2 or len(weights) != 1 or len(biases) != 1:
                raise Failure(
                    T(ja=f"model.blocks[{k}] のパラメータの形が {_shapes(params)} です。"
                         f"Linear({hid}, {hid}) の重み ({hid}, {hid}) とバイアス ({hid},) だけのはずです",
                      en=f"model.blocks[{k}] has parameters of shapes {_shapes(params)}; it should hold "
                         f"only a Linear({hid}, {hid}): weight ({hid}, {hid}) and bias ({hid},)"),
                    ARCH_HELP,
                    counterexample=f"in={in_f}, hid={hid}, out={out}, depth={depth}",
                )
            self.blocks.append((weights[0], biases[0]))
            block_ids |= {id(p) for p in params}
        rest = [p for p in model.parameters() if id(p) not in block_ids]
        wanted = {"w_in": (hid, in_f), "b_in": (hid,), "w_out": (out, hid), "b_out": (out,)}
        found: dict[str, torch.Tensor] = {}
        for name, shape in wanted.items():
            matches = [p for p in rest if tuple(p.shape) == shape]
            if len(matches) != 1 or len(rest) != 4:
                raise Failure(
                    T(ja=f"ブロック以外のパラメータの形が {_shapes(rest)} です。input_proj の重み {(hid, in_f)}・"
                         f"バイアス {(hid,)} と head の重み {(out, hid)}・バイアス {(out,)} の 4 つのはずです",
                      en=f"the parameters outside the blocks have shapes {_shapes(rest)}; they should be "
                         f"input_proj's weight {(hid, in_f)} and bias {(hid,)}, and head's weight "
                         f"{(out, hid)} and bias {(out,)}"),
                    ARCH_HELP,
                    counterexample=f"in={in_f}, hid={hid}, out={out}, depth={depth}",
                )
            found[name] = matches[0]
        self.w_in, self.b_in = found["w_in"], found["b_in"]
        self.w_out, self.b_out = found["w_out"], found["b_out"]

    def expected(self, x: np.ndarray) -> np.ndarray:
        """The contract's forward pass without dropout, in numpy float64."""
        what = T(ja="パラメータ", en="a parameter")
        f64 = lambda p: as_numpy(p, what).astype(np.float64)  # noqa: E731
        h = x @ f64(self.w_in).T + f64(self.b_in)
        for w, b in self.blocks:
            h = h + _np_maximum(h @ f64(w).T + f64(b), 0.0)
        return h @ f64(self.w_out).T + f64(self.b_out)


def _inputs(seed: int, batch: int, in_f: int, dtype: Any = np.float64) -> tuple[np.ndarray, torch.Tensor]:
    x = np.random.default_rng(seed).standard_normal((batch, in_f)).astype(dtype)
    return x, torch.from_numpy(x.copy())


def _run(model: nn.Module, x: torch.Tensor, what: T) -> torch.Tensor:
    y = model(x)
    return expect_tensor(y, what)


def _sizes_text(in_f: int, hid: int, out: int, depth: int, **more: Any) -> str:
    extra = "".join(f", {k}={v}" for k, v in more.items())
    return f"ResidualMLP({in_f}, {hid}, {out}, depth={depth}{extra})"


def _randomise(params: list[torch.Tensor], seed: int) -> None:
    """Overwrite `params` with seeded random values (scaled by fan-in). The dropout checks need a
    branch ReLU(Linear(h)) that is not 0: a model may legitimately start its blocks at zero
    (each block the identity), and dropping zeros shows nothing."""
    generator = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for p in params:
            fan_in = p.shape[-1] if p.dim() > 1 else 4
            p.copy_(torch.randn(p.shape, generator=generator, dtype=torch.float64) / fan_in ** 0.5)


# three pairwise different sizes (in, hid, out), so that the layers are told apart by shape
distinct_sizes = st.lists(st.integers(1, 8), min_size=3, max_size=3, unique=True)

OUTPUT = T(ja="モデルの出力", en="the model's output")


# ---------------------------------------------------------------------------------------
# structure


@pytest.mark.points(1)
@given(depth=st.integers(0, 8), hid=draw.small_sizes(1, 6))
@settings(max_examples=12)
def test_blocks_is_module_list_of_depth(depth: int, hid: int) -> None:
    """model.blocks is an nn.ModuleList of exactly `depth` distinct blocks (depth 0 included)."""
    model = _build(3, hid, 2, depth)
    blocks = _blocks(model, depth, strict=True)
    expect(len({id(b) for b in blocks}) == len(blocks),
           T(ja=f"depth={depth} のブロックに同じオブジェクトが繰り返し入っています",
             en=f"with depth={depth}, the same block object appears several times"),
           T(ja="[Block(...)] * depth は同じブロックを depth 回並べるだけです。ループの中で毎回新しく作ります",
             en="[Block(...)] * depth repeats one block; create a new one on each loop iteration"))


@pytest.mark.points(2)
@given(in_f=draw.small_sizes(1, 8), hid=draw.small_sizes(1, 8), out=draw.small_sizes(1, 8),
       depth=st.integers(0, 8))
@settings(max_examples=25)
@example(in_f=3, hid=4, out=2, depth=0)
def test_parameter_count(in_f: int, hid: int, out: int, depth: int) -> None:
    """sum of numel over model.parameters() = in*hid + hid + depth*(hid*hid + hid) + hid*out + out."""
    model = _build(in_f, hid, out, depth)
    layers = [nn.Linear(in_f, hid), *(nn.Linear(hid, hid) for _ in range(depth)), nn.Linear(hid, out)]
    expect_param_count(model, nn.Sequential(*layers), what=T(ja="パラメータ数", en="the number of parameters"),
                 help=T(ja="in*hid + hid（input_proj）+ depth*(hid*hid + hid)（各ブロックの Linear）"
                           "+ hid*out + out（head）。ブロックは ModuleList に登録し、共有せず、バイアスありにします",
                        en="in*hid + hid (input_proj) + depth*(hid*hid + hid) (each block's Linear) + "
                           "hid*out + out (head). Register the blocks in a ModuleList, do not share one "
                           "block, and keep the biases"),
                 counterexample=_sizes_text(in_f, hid, out, depth))


@pytest.mark.points(1)
@given(in_f=draw.small_sizes(1, 8), hid=draw.small_sizes(1, 8), out=draw.small_sizes(1, 8),
       depth=st.integers(0, 4), batch=draw.batch_sizes(1, 16), seed=draw.seeds())
@settings(max_examples=20)
def test_output_shape_any_batch(in_f: int, hid: int, out: int, depth: int, batch: int, seed: int) -> None:
    """model(x) for x of shape (B, in) is a float32 tensor of shape (B, out), in train and eval mode."""
    seed_torch(seed)
    model = _build(in_f, hid, out, depth)
    _, x = _inputs(seed, batch, in_f, np.float32)
    for mode in ("train", "eval"):
        getattr(model, mode)()
        y = _run(model, x, OUTPUT)
        expect_shape(y, (batch, out), OUTPUT,
                     T(ja="出力は head(h) の形 (バッチ, out_features) です", en="the output is head(h): (batch, out_features)"))
        expect(y.dtype == torch.float32,
               T(ja=f"float32 の入力に対する出力の dtype が {y.dtype} です",
                 en=f"for a float32 input the output's dtype is {y.dtype}"),
               T(ja="入力と同じ dtype のまま計算します", en="keep the input's dtype"))


# ---------------------------------------------------------------------------------------
# the function it computes


@pytest.mark.points(3)
@given(sizes=distinct_sizes, depth=st.integers(0, 6), batch=draw.batch_sizes(1, 8),
       dropout=st.sampled_from([0.0, 0.1, 0.5]), seed=draw.seeds())
@settings(max_examples=30)
@example(sizes=[3, 4, 2], depth=0, batch=2, dropout=0.1, seed=0)
@example(sizes=[3, 4, 2], depth=2, batch=2, dropout=0.1, seed=0)
def test_forward_matches_definition(sizes: list[int], depth: int, batch: int, dropout: float, seed: int) -> None:
    """In eval mode (float64) the output is head(h) after h = input_proj(x) and, per block,
    h = h + ReLU(Linear(h)), computed here from the model's own parameters."""
    in_f, hid, out = sizes
    seed_torch(seed)
    model = _build(in_f, hid, out, depth, dropout, dtype=torch.float64)
    parts = Parts(model, in_f, hid, out, depth)
    model.eval()
    x_np, x = _inputs(seed, batch, in_f)
    with torch.no_grad():
        y = _run(model, x, OUTPUT)
    expect_close(y, parts.expected(x_np),
                 what=T(ja=f"eval モードの出力（{_sizes_text(in_f, hid, out, depth)}）",
                        en=f"the output in eval mode ({_sizes_text(in_f, hid, out, depth)})"),
                 help=ARCH_HELP)


@pytest.mark.points(2)
@given(sizes=distinct_sizes, depth=st.integers(1, 5), batch=draw.batch_sizes(1, 8),
       dropout=st.sampled_from([0.0, 0.3, 0.5]), mask_seed=draw.seeds(), seed=draw.seeds())
@settings(max_examples=25)
@example(sizes=[3, 4, 2], depth=1, batch=4, dropout=0.3, mask_seed=0, seed=0)
def test_zeroed_block_is_identity(sizes: list[int], depth: int, batch: int, dropout: float,
                                  mask_seed: int, seed: int) -> None:
    """With the weight and bias of some blocks' Linear set to 0, those blocks are the identity:
    in eval mode the output is that of the model without them; with every block zeroed, the
    output is head(input_proj(x)) even in train mode."""
    in_f, hid, out = sizes
    seed_torch(seed)
    model = _build(in_f, hid, out, depth, dropout, dtype=torch.float64)
    parts = Parts(model, in_f, hid, out, depth)
    rng = np.random.default_rng(mask_seed)
    some = [k for k in range(depth) if rng.random() < 0.5] or [depth - 1]
    x_np, x = _inputs(seed, batch, in_f)
    help = T(ja="Linear が 0 なら ReLU(0) = 0 で、ブロックは h + 0 = h（恒等写像）になるはずです。"
                "ReLU を残差の和の後に置いたり、ドロップアウトを h にもかけたりすると恒等になりません",
             en="with a zero Linear, ReLU(0) = 0 and the block is h + 0 = h (the identity). A ReLU "
                "after the residual sum, or dropout applied to h as well, breaks this")
    for zeroed, mode in ((some, "eval"), (list(range(depth)), "train")):
        with torch.no_grad():
            for k in zeroed:
                for p in parts.blocks[k]:
                    p.zero_()
        reference = copy.copy(parts)
        reference.blocks = [b for k, b in enumerate(parts.blocks) if k not in zeroed]
        getattr(model, mode)()
        with torch.no_grad():
            y = _run(model, x, OUTPUT)
        which = "all blocks" if len(zeroed) == depth else f"blocks {zeroed}"
        which_ja = "全ブロックの" if len(zeroed) == depth else f"ブロック {zeroed} の"
        expect_close(y, reference.expected(x_np),
                     what=T(ja=f"{which_ja} Linear を 0 にしたときの出力（{mode} モード、"
                               f"{_sizes_text(in_f, hid, out, depth, dropout=dropout)}）",
                            en=f"the output with the Linear of {which} set to zero ({mode} mode, "
                               f"{_sizes_text(in_f, hid, out, depth, dropout=dropout)})"),
                     help=help)


# ---------------------------------------------------------------------------------------
# dropout


@pytest.mark.points(1)
@given(sizes=distinct_sizes, depth=st.integers(1, 4), dropout=st.sampled_from([0.2, 0.5, 0.9]), seed=draw.seeds())
@settings(max_examples=10)
def test_eval_mode_is_deterministic(sizes: list[int], depth: int, dropout: float, seed: int) -> None:
    """After model.eval(), dropout is off: two calls on the same input give exactly the same output,
    the definition's."""
    in_f, _, out = sizes
    seed_torch(seed)
    model = _build(in_f, 16, out, depth, dropout)
    model.eval()
    x_np, x = _inputs(seed, 32, in_f, np.float32)
    with torch.no_grad():
        first = as_numpy(_run(model, x, OUTPUT), OUTPUT)
        second = as_numpy(_run(model, x, OUTPUT), OUTPUT)
    expect_close(first, Parts(model, in_f, 16, out, depth).expected(x_np.astype(np.float64)).astype(np.float32),
                 what=T(ja=f"eval モードの出力（{_sizes_text(in_f, 16, out, depth, dropout=dropout)}）",
                        en=f"the output in eval mode ({_sizes_text(in_f, 16, out, depth, dropout=dropout)})"),
                 help=DROPOUT_HELP)
    differ = first != second
    expect(not bool(differ.any()),
           T(ja=f"eval モード（dropout={dropout}）で同じ入力に 2 回呼ぶと、出力の {int(differ.sum())}/{differ.size} "
                f"要素が違います（差の最大 {float(np.max(np.abs(first - second))):.3g}）。eval では決定的なはずです",
             en=f"in eval mode (dropout={dropout}), two calls on the same input differ in {int(differ.sum())} of "
                f"{differ.size} output elements (largest difference {float(np.max(np.abs(first - second))):.3g}); "
                f"eval must be deterministic"),
           DROPOUT_HELP)


@pytest.mark.points(1)
@given(depth=st.integers(1, 4), dropout=st.sampled_from([0.3, 0.5]), seed=draw.seeds())
@settings(max_examples=8)
def test_dropout_active_in_training(depth: int, dropout: float, seed: int) -> None:
    """After model.train() with dropout > 0, two calls on the same input differ (dropout is on)."""
    seed_torch(seed)
    model = _build(4, 16, 3, depth, dropout)
    _randomise(list(model.parameters()), seed)  # blocks initialised at zero would hide dropout
    model.train()
    _, x = _inputs(seed, 32, 4, np.float32)
    with torch.no_grad():
        first = as_numpy(_run(model, x, OUTPUT), OUTPUT)
        second = as_numpy(_run(model, x, OUTPUT), OUTPUT)
    expect(bool((first != second).any()),
           T(ja=f"train モードで dropout={dropout} なのに、同じ入力に対する 2 回の出力がまったく同じです",
             en=f"in train mode with dropout={dropout}, two calls on the same input give exactly the same output"),
           DROPOUT_HELP,
           counterexample=_sizes_text(4, 16, 3, depth, dropout=dropout))


def _blocks_with_identity_head(model: nn.Module, in_f: int, hid: int, depth: int,
                               dropout: float) -> list[tuple[torch.Tensor, torch.Tensor]]:
    """For a model built with out_features = hid: set both outer biases to 0 and the head to the
    identity, so that the output is h after the last block; return each block's (weight, bias)."""
    blocks = [list(b.parameters()) for b in _blocks(model, depth, strict=False)]
    block_ids = {id(p) for params in blocks for p in params}
    rest = [p for p in model.parameters() if id(p) not in block_ids]
    found = [([p for p in params if tuple(p.shape) == (hid, hid)], [p for p in params if tuple(p.shape) == (hid,)])
             for params in blocks]
    w_in = [p for p in rest if tuple(p.shape) == (hid, in_f)]
    w_head = [p for p in rest if tuple(p.shape) == (hid, hid)]
    if any(len(w) != 1 or len(b) != 1 or len(params) != 2 for (w, b), params in zip(found, blocks)) \
            or len(w_in) != 1 or len(w_head) != 1 or len(rest) != 4:
        raise Failure(
            T(ja=f"パラメータの形が想定と違います（ブロック: {[_shapes(b) for b in blocks]}、それ以外: {_shapes(rest)}）",
              en=f"unexpected parameter shapes (blocks: {[_shapes(b) for b in blocks]}; the rest: {_shapes(rest)})"),
            ARCH_HELP, counterexample=_sizes_text(in_f, hid, hid, depth, dropout=dropout))
    with torch.no_grad():
        for p in rest:
            if p.dim() == 1:  # both outer biases (same shape here): zero
                p.zero_()
        w_head[0].copy_(torch.eye(hid, dtype=w_head[0].dtype))
    return [(w[0], b[0]) for w, b in found]


@pytest.mark.points(1)
@pytest.mark.parametrize("dropout", [0.2, 0.5, 0.8], ids=lambda p: f"p={p}")
def test_dropout_rate_and_scaling(dropout: float) -> None:
    """In train mode each block's ReLU(Linear(h)) is dropped with probability p and the kept
    values are scaled by 1/(1-p); the skip path h is never dropped. (Measured with depth 1,
    biases outside the block set to 0 and head set to the identity, so output - input_proj(x)
    is exactly the block's dropped-out branch.)"""
    in_f, hid, batch = 5, 16, 256
    seed_torch(0)
    model = _build(in_f, hid, hid, 1, dropout, dtype=torch.float64)
    (weight, bias), = _blocks_with_identity_head(model, in_f, hid, 1, dropout)
    w_in = next(p for p in model.parameters() if tuple(p.shape) == (hid, in_f))
    _randomise([w_in, weight, bias], 8)  # blocks initialised at zero would hide dropout
    what = T(ja="パラメータ", en="a parameter")
    h0 = _inputs(3, batch, in_f)[0] @ as_numpy(w_in, what).T
    branch = _np_maximum(h0 @ as_numpy(weight, what).T + as_numpy(bias, what), 0.0)
    model.train()
    with torch.no_grad():
        y = as_numpy(_run(model, _inputs(3, batch, in_f)[1], OUTPUT), OUTPUT)
    if y.shape != h0.shape:
        raise Failure(T(ja=f"出力の形が {y.shape} です（{h0.shape} のはず）", en=f"the output has shape {y.shape}, not {h0.shape}"),
                      ARCH_HELP)
    dropped_out = y - h0  # what the block added to h
    kept = _np_abs(dropped_out - branch / (1.0 - dropout)) <= 1e-9 * (1.0 + _np_abs(branch))
    zero = _np_abs(dropped_out) <= 1e-9
    bad = ~(kept | zero)
    if bool(bad.any()):
        i, j = (int(v[0]) for v in np.nonzero(bad))
        raise Failure(
            T(ja=f"train モード（dropout={dropout}）でブロックが h に足した値が 0 でも ReLU(Linear(h))/(1-p) でも"
                 f"ありません（例: 要素 [{i}, {j}] で ReLU(Linear(h)) = {branch[i, j]:.6g} に対し "
                 f"{dropped_out[i, j]:.6g}。{int(bad.sum())}/{bad.size} 要素）",
              en=f"in train mode (dropout={dropout}) what the block adds to h is neither 0 nor "
                 f"ReLU(Linear(h))/(1-p) (e.g. element [{i}, {j}]: ReLU(Linear(h)) = {branch[i, j]:.6g}, added "
                 f"{dropped_out[i, j]:.6g}; {int(bad.sum())} of {bad.size} elements)"),
            T(ja="ドロップアウトは ReLU(Linear(h)) の側だけにかけ、残差 h にはかけません。" + DROPOUT_HELP.ja,
              en="apply dropout to the ReLU(Linear(h)) branch only, never to the skip path h. " + DROPOUT_HELP.en),
            counterexample=_sizes_text(in_f, hid, hid, 1, dropout=dropout))
    positive = branch > 1e-9
    rate = float((zero & positive).sum()) / max(int(positive.sum()), 1)
    expect(abs(rate - dropout) <= 0.06,
           T(ja=f"dropout={dropout} なのに、正の値のうち 0 にされた割合が {rate:.3f} です",
             en=f"with dropout={dropout}, the fraction of positive values set to 0 is {rate:.3f}"),
           T(ja="引数 dropout をそのまま確率として使います（例えば 0.1 に固定しない、1-p と取り違えない）。"
                + DROPOUT_HELP.ja,
             en="use the dropout argument as the drop probability (do not hard-code 0.1 or use 1-p). "
                + DROPOUT_HELP.en),
           counterexample=_sizes_text(in_f, hid, hid, 1, dropout=dropout))


@pytest.mark.points(1)
def test_each_block_draws_its_own_mask() -> None:
    """In train mode every block draws its own dropout mask: the elements dropped in one block are not
    those dropped in another. (Measured with depth 3, dropout 0.5, input_proj at 0, each block's weight at
    0 and its bias at 1, 2 and 4, head the identity: each output element, times 1 - p, is the sum of the
    biases of the blocks that kept it, so it shows the three masks.)"""
    in_f, hid, batch, depth, dropout = 5, 16, 256, 3, 0.5
    model = _build(in_f, hid, hid, depth, dropout, dtype=torch.float64)
    blocks = _blocks_with_identity_head(model, in_f, hid, depth, dropout)
    with torch.no_grad():
        next(p for p in model.parameters() if tuple(p.shape) == (hid, in_f)).zero_()
        for k, (weight, bias) in enumerate(blocks):
            weight.zero_()
            bias.fill_(2.0 ** k)
    model.train()
    with torch.no_grad():
        y = as_numpy(_run(model, _inputs(4, batch, in_f)[1], OUTPUT), OUTPUT) * (1.0 - dropout)
    kept = np.rint(y).astype(np.int64)
    sums = y.shape == (batch, hid) and bool((_np_abs(y - kept) <= 1e-9).all() and ((kept >= 0) & (kept < 8)).all())
    if not sums:
        raise Failure(T(ja="出力 × (1 - p) が、残ったブロックのバイアスの和（0〜7 の整数）になっていません",
                        en="the output times (1 - p) is not the sum of the kept blocks' biases (an integer 0..7)"),
                      DROPOUT_HELP, counterexample=_sizes_text(in_f, hid, hid, depth, dropout=dropout))
    masks = [(kept >> k) & 1 for k in range(depth)]
    same = max(float((masks[a] == masks[b]).mean()) for a in range(depth) for b in range(a + 1, depth))
    expect(same <= 0.6,  # independent masks with p = 0.5 agree on about half of the elements
           T(ja=f"ブロックのドロップアウトのマスクが {same:.0%} の要素で一致しています（独立なら約 50%）",
             en=f"the dropout masks of two blocks agree on {same:.0%} of the elements (about 50% if independent)"),
           T(ja="各ブロックがそれぞれ自分の nn.Dropout を呼べば、呼ぶたびに新しいマスクが引かれます。"
                "マスクを一度だけ作ってすべてのブロックで使い回すと、同じ要素がどのブロックでも落とされます",
             en="each block calling its own nn.Dropout draws a new mask on every call; a mask drawn once and "
                "reused by every block drops the same elements in all of them"),
           counterexample=_sizes_text(in_f, hid, hid, depth, dropout=dropout))


@pytest.mark.points(1)
@given(sizes=distinct_sizes, depth=st.integers(1, 4), batch=draw.batch_sizes(1, 8), seed=draw.seeds())
@settings(max_examples=10)
def test_no_dropout_when_p_is_zero(sizes: list[int], depth: int, batch: int, seed: int) -> None:
    """With dropout=0.0, train mode computes exactly the definition (deterministic, nothing dropped)."""
    in_f, hid, out = sizes
    seed_torch(seed)
    model = _build(in_f, hid, out, depth, 0.0, dtype=torch.float64)
    parts = Parts(model, in_f, hid, out, depth)
    model.train()
    x_np, x = _inputs(seed, batch, in_f)
    with torch.no_grad():
        y = _run(model, x, OUTPUT)
    expect_close(y, parts.expected(x_np),
                 what=T(ja=f"dropout=0.0・train モードの出力（{_sizes_text(in_f, hid, out, depth)}）",
                        en=f"the output in train mode with dropout=0.0 ({_sizes_text(in_f, hid, out, depth)})"),
                 help=T(ja="dropout=0 なら train モードでも何も落とさず、定義どおりの値になります。dropout 引数を"
                           "そのまま nn.Dropout(dropout) に渡し（値を固定しない）、構造は " + ARCH_HELP.ja,
                        en="with dropout=0 nothing is dropped even in train mode, so the output is the definition's. "
                           "Pass the dropout argument on to nn.Dropout(dropout) (do not hard-code a rate); the "
                           "structure: " + ARCH_HELP.en))


# ---------------------------------------------------------------------------------------
# depth, arguments, registration


@pytest.mark.points(2)
def test_gradients_reach_input_proj_at_depth_64() -> None:
    """At depth 64 (float64, train mode), backward of output.sum() gives input_proj's weight a
    finite, non-vanishing gradient (norm >= 1e-4 x the head's)."""
    in_f, hid, out, depth = 5, 16, 3, 64
    model = _build(in_f, hid, out, depth, dtype=torch.float64)
    parts = Parts(model, in_f, hid, out, depth)
    model.train()
    _, x = _inputs(0, 8, in_f)
    y = _run(model, x, OUTPUT)
    y.sum().backward()
    grad_in, grad_out = parts.w_in.grad, parts.w_out.grad
    what = T(ja="input_proj の重みの勾配", en="the gradient of input_proj's weight")
    expect(grad_in is not None,
           T(ja="depth=64 で backward しても input_proj の重みに勾配（.grad）が届きません",
             en="after backward at depth=64, input_proj's weight has no gradient (.grad is None)"),
           T(ja="計算グラフを切らないようにします（.detach() や .data、torch.no_grad() を forward で使わない）",
             en="keep the graph connected (no .detach(), .data or torch.no_grad() in forward)"))
    expect_finite(grad_in, what, T(ja="残差接続があれば深くても値は発散しにくいはずです",
                                   en="with residual connections the values stay finite even when deep"))
    norm_in = float(np.linalg.norm(as_numpy(grad_in, what)))
    norm_out = float(np.linalg.norm(as_numpy(grad_out, what))) if grad_out is not None else 0.0
    expect(norm_in > 0.0 and norm_in >= 1e-4 * norm_out,
           T(ja=f"depth=64 で input_proj の重みの勾配が消えています（ノルム {norm_in:.3g}、head は {norm_out:.3g}）",
             en=f"at depth=64 the gradient of input_proj's weight vanishes (norm {norm_in:.3g}; head's: {norm_out:.3g})"),
           T(ja="残差接続 h + F(h) の恒等経路を通って、勾配は深さに関係なく入力側まで届きます。"
                "各ブロックで h を足し戻しているか確認しましょう",
             en="through the identity path of h + F(h) the gradient reaches the input whatever the depth; "
                "check that every block adds h back"))


@pytest.mark.points(1)
def test_negative_depth_raises() -> None:
    """depth < 0 (-1 and -4) raises ValueError."""
    for depth in (-1, -4):
        expect_raises(ValueError, ex.ResidualMLP, 3, 4, 2, depth, 0.1,
                      what=T(ja=f"depth={depth}", en=f"depth={depth}"),
                      help=T(ja="__init__ の最初で引数を検査し、raise ValueError(...) します（depth=0 は有効）",
                             en="check the arguments at the start of __init__ and raise ValueError(...) "
                                "(depth=0 is valid)"))


@pytest.mark.points(1)
def test_negative_dropout_raises() -> None:
    """dropout < 0 (-0.1 and -1.0) raises ValueError."""
    for dropout in (-0.1, -1.0):
        expect_raises(ValueError, ex.ResidualMLP, 3, 4, 2, 2, dropout,
                      what=T(ja=f"dropout={dropout}", en=f"dropout={dropout}"),
                      help=T(ja="有効なのは 0 <= dropout < 1 です。__init__ で検査して raise ValueError(...) します",
                             en="valid is 0 <= dropout < 1; check it in __init__ and raise ValueError(...)"))


@pytest.mark.points(1)
def test_dropout_of_one_or_more_raises() -> None:
    """dropout >= 1 (1.0 and 1.5) raises ValueError (1.0 would drop everything)."""
    for dropout in (1.0, 1.5):
        expect_raises(ValueError, ex.ResidualMLP, 3, 4, 2, 2, dropout,
                      what=T(ja=f"dropout={dropout}", en=f"dropout={dropout}"),
                      help=T(ja="有効なのは 0 <= dropout < 1 です。nn.Dropout は p=1.0 を受け付けるので、自分で検査します",
                             en="valid is 0 <= dropout < 1; nn.Dropout accepts p=1.0, so check it yourself"))


@pytest.mark.points(1)
def test_to_moves_every_parameter() -> None:
    """model.to(torch.float64) converts every parameter, the blocks' included, and the model then
    computes the definition on float64 input."""
    in_f, hid, out, depth = 3, 5, 2, 3
    model = _build(in_f, hid, out, depth)
    model.to(torch.float64)
    blocks = _blocks(model, depth, strict=False)
    for k, block in enumerate(blocks):
        for p in block.parameters():
            expect(p.dtype == torch.float64,
                   T(ja=f"model.to(torch.float64) の後も model.blocks[{k}] のパラメータが {p.dtype} のままです",
                     en=f"after model.to(torch.float64), model.blocks[{k}] still has a {p.dtype} parameter"),
                   REGISTER_HELP)
    for p in model.parameters():
        expect(p.dtype == torch.float64,
               T(ja=f"model.to(torch.float64) の後も {p.dtype} のパラメータが残っています",
                 en=f"after model.to(torch.float64), a {p.dtype} parameter remains"),
               REGISTER_HELP)
    model.eval()
    x_np, x = _inputs(0, 4, in_f)
    y = _run(model, x, OUTPUT)
    expect(y.dtype == torch.float64,
           T(ja=f"float64 に変換したモデルの出力が {y.dtype} です", en=f"the float64 model's output is {y.dtype}"),
           REGISTER_HELP)
    expect_close(y, Parts(model, in_f, hid, out, depth).expected(x_np),
                 what=T(ja="float64 に変換したモデルの出力", en="the float64 model's output"), help=ARCH_HELP)


@on_every_device
def test_output_on_every_device_matches_cpu(device: torch.device) -> None:
    """model.to(device) runs there (every parameter moved) and gives the cpu's output, the definition's."""
    in_f, hid, out, depth = 6, 12, 3, 4
    x_np, x = _inputs(1, 8, in_f, np.float32)
    seed_torch(0)
    model = _build(in_f, hid, out, depth).eval()
    with torch.no_grad():
        expect_close(_run(model, x, OUTPUT), Parts(model, in_f, hid, out, depth).expected(x_np).astype(np.float32),
                     what=T(ja="cpu での eval モードの出力", en="the output in eval mode on the cpu"), help=ARCH_HELP)

    def compute(d: torch.device) -> torch.Tensor:
        seed_torch(0)
        model = _build(in_f, hid, out, depth).to(d).eval()
        with torch.no_grad():
            y = _run(model, x.to(d), OUTPUT)
        expect(y.device.type == d.type,
               T(ja=f"出力が {y.device} にあります（{d} のはず）", en=f"the output is on {y.device}, not {d}"),
               REGISTER_HELP)
        return y.cpu()

    expect_parity(compute, device, what=OUTPUT, help=REGISTER_HELP)
