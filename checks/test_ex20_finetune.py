"""Checks for exercise 20: `prepare_for_finetuning(model, num_classes, train_last_n_blocks=0)`.

Contract: `model` has `.features` (an nn.Sequential of blocks) and `.fc` (an nn.Linear).
The function replaces `.fc` with a fresh nn.Linear(fc.in_features, num_classes), sets
requires_grad=False on every other parameter except those of the last train_last_n_blocks
blocks, and returns exactly the trainable parameters, each once, in model.parameters()
order; num_classes < 1 or train_last_n_blocks outside 0..len(features) → ValueError.

Decisions where the contract is silent:
- The models are built here (no download), torchvision-like: an MLP or a small CNN whose
  blocks are Linear/Conv2d + Tanh (some with BatchNorm), LayerNorm/GroupNorm, or a block
  without parameters (as VGG's ReLU and MaxPool entries); sometimes a stem outside
  `.features` (it must be frozen too), sometimes `.fc` registered before `.features` (so
  "features, then fc" is not model.parameters() order). Every parameter arrives trainable,
  float32, on the CPU.
- A parameter of one of the last blocks is trainable even when a frozen block shares it:
  "except those of the last blocks" names it. It is returned once, where
  model.parameters() yields it. Weights tied between the first and the last block are drawn
  in one check of their own (one point), not in the others.
- "Frozen weights unchanged" is about parameters: BatchNorm's running statistics are
  buffers, which training in train mode updates whatever is frozen, so they are not compared.
- Training is three SGD steps (momentum 0.9) on a mean squared error to random targets, built on the returned
  list; every trainable parameter must change, every other one must stay bitwise equal and
  keep `.grad` None. "Fresh" means a new nn.Linear object (not the old fc reused, even when
  it already has num_classes outputs), with a bias, trainable.
- The returned value may be a list or a tuple of the model's own nn.Parameter objects. The
  backbone must keep its parameters (the same objects under the same names): dropping the
  frozen layers is not freezing them. The model's parameters are read with nn.Module's own
  methods, so an instance attribute named `parameters` cannot hide any.
  When the call raises ValueError, whether the model was already changed is not graded;
  neither is the head's device or dtype (the models are float32 CPU ones).
"""

from __future__ import annotations

from typing import Any, NamedTuple

import pytest
import torch
from hypothesis import example, given, settings
from hypothesis import strategies as st
from torch import nn

from checks.feedback import Failure, T, expect, expect_equal, expect_raises
from checks.modules import expect_param_count
from checks.submission import student
from grader.plugin.determinism import seed_torch

ex = student("ex20_finetune")

_Linear = nn.Linear
_Module = nn.Module
_parameters = nn.Module.parameters            # called unbound: an instance attribute cannot stand in
_named_parameters = nn.Module.named_parameters
_equal = torch.equal
_mse = nn.functional.mse_loss
_SGD = torch.optim.SGD

FREEZE_HELP = T(
    ja="model.parameters() をすべて requires_grad=False にしてから、最後の n ブロックだけを True に戻し、"
       "最後に fc を差し替えます。features[-n:] は n = 0 のとき全ブロックになる点に注意します",
    en="set requires_grad=False on all of model.parameters(), turn it back on for the last n blocks only, "
       "then replace fc. Beware: features[-n:] is every block when n = 0")
LIST_HELP = T(ja="[p for p in model.parameters() if p.requires_grad] は順序も重複なしも満たします",
              en="[p for p in model.parameters() if p.requires_grad] has the right order and no repeats")


class Spec(NamedTuple):
    """A torchvision-like model to build: what a counter-example shows."""
    kind: str                 # "mlp" (input (B, W)) or "cnn" (input (B, W, 5, 5))
    width: int
    blocks: tuple[str, ...]   # "weighted", "batchnorm", "norm", "act"
    stem: bool
    fc_first: bool
    tied: bool
    fc_out: int


class Case(NamedTuple):
    """One drawn call: prepare_for_finetuning(Backbone(spec), num_classes, train_last_n_blocks)."""
    spec: Spec
    num_classes: int
    train_last_n_blocks: int


class Backbone(nn.Module):
    def __init__(self, spec: Spec) -> None:
        super().__init__()
        w, cnn = spec.width, spec.kind == "cnn"
        layer = (lambda bias: nn.Conv2d(w, w, 3, padding=1, bias=bias)) if cnn else (lambda bias: nn.Linear(w, w, bias))
        make = {"weighted": lambda: nn.Sequential(layer(True), nn.Tanh()),   # no bias before a BatchNorm (it cancels)
                "batchnorm": lambda: nn.Sequential(layer(False), nn.BatchNorm2d(w) if cnn else nn.BatchNorm1d(w), nn.Tanh()),
                "norm": lambda: nn.GroupNorm(1, w) if cnn else nn.LayerNorm(w),
                "act": lambda: nn.Tanh()}
        if spec.fc_first:
            self.fc = nn.Linear(w, spec.fc_out)
        self.stem = (nn.Conv2d(w, w, 1) if cnn else nn.Linear(w, w)) if spec.stem else nn.Identity()
        self.features = nn.Sequential(*(make[b]() for b in spec.blocks))
        self.pool = nn.Sequential(nn.AdaptiveAvgPool2d(1), nn.Flatten()) if cnn else nn.Identity()
        if not spec.fc_first:
            self.fc = nn.Linear(w, spec.fc_out)
        weighted = [block[0] for block in self.features if isinstance(block, nn.Sequential)]
        if spec.tied and len(weighted) >= 2:
            weighted[-1].weight = weighted[0].weight

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.fc(self.pool(self.features(self.stem(x))))


BLOCKS = st.sampled_from(["weighted", "batchnorm", "norm", "act"])
WEIGHTED = st.sampled_from(["weighted", "batchnorm"])


@st.composite
def cases(draw_: st.DrawFn, tied: bool = False) -> Case:
    """A model spec, num_classes, and train_last_n_blocks (0..len(blocks); 1.. when `tied`:
    the first and the last block then share their weight)."""
    if tied:
        blocks = (draw_(WEIGHTED), *draw_(st.lists(BLOCKS, max_size=2)), draw_(WEIGHTED))
    else:
        blocks = tuple(draw_(st.lists(BLOCKS, min_size=1, max_size=4)))
    spec = Spec(draw_(st.sampled_from(["mlp", "cnn"])), draw_(st.integers(2, 4)), blocks, draw_(st.booleans()),
                draw_(st.booleans()), tied, draw_(st.integers(1, 4)))
    return Case(spec, draw_(st.integers(1, 4)), draw_(st.integers(1 if tied else 0, len(blocks))))


PINNED = Case(Spec("mlp", 3, ("weighted", "batchnorm", "act", "weighted"), True, True, False, 3), 3, 1)


def inputs(spec: Spec, batch: int = 4) -> torch.Tensor:
    shape = (batch, spec.width, 5, 5) if spec.kind == "cnn" else (batch, spec.width)
    return torch.randn(shape, generator=torch.Generator().manual_seed(1))


def prepare(spec: Spec, num_classes: int, n: int) -> tuple[nn.Module, Any, set[int], nn.Module]:
    """Build the model, call the learner's function (its default n when n = 0); return the
    model, what it returned, the ids that must be trainable now, and the old head. The
    backbone's parameters must still be the model's own afterwards (none removed or swapped)."""
    seed_torch(0)
    model = Backbone(spec)
    old_fc, blocks = model.fc, list(model.features)
    trained = {id(p) for block in blocks[len(blocks) - n:] for p in _parameters(block)}
    backbone = [(name, id(p)) for name, p in _named_parameters(model) if not name.startswith("fc.")]
    args = (model, num_classes) if n == 0 else (model, num_classes, n)
    returned = ex.prepare_for_finetuning(*args)
    after = [(name, id(p)) for name, p in _named_parameters(model) if not name.startswith("fc.")]
    expect(after == backbone, T(ja="fc 以外のパラメータが取り除かれたか、別のものに置き換えられています",
                                en="parameters outside fc were removed or replaced"),
           T(ja="バックボーンの層はそのまま残し、requires_grad だけを変えます", en="keep the backbone's layers; "
             "change only their requires_grad"), counterexample=repr(Case(spec, num_classes, n)))
    if isinstance(model.fc, _Module):
        trained |= {id(p) for p in _parameters(model.fc)}
    return model, returned, trained, old_fc


def names(model: nn.Module, params: Any) -> list[str]:
    """The model's name for each returned object (by identity), or what else it is."""
    by_id = {id(p): name for name, p in _named_parameters(model)}
    return [by_id.get(id(p), f"<not a parameter of the model: {type(p).__name__}>") for p in params]


def expect_flags(model: nn.Module, trained: set[int]) -> None:
    wrong = [f"{name}: requires_grad={p.requires_grad}" for name, p in _named_parameters(model)
             if p.requires_grad != (id(p) in trained)]
    expect(not wrong, T(ja="requires_grad が違うパラメータ: " + ", ".join(wrong),
                        en="parameters with the wrong requires_grad: " + ", ".join(wrong)), FREEZE_HELP)


def expect_returned(model: nn.Module, returned: Any, trained: set[int]) -> None:
    if not isinstance(returned, (list, tuple)):
        raise Failure(T(ja=f"list を期待しましたが {type(returned).__qualname__} が返されました",
                        en=f"expected a list, got {type(returned).__qualname__}"), LIST_HELP)
    expected = [p for p in _parameters(model) if id(p) in trained]
    expect_equal(names(model, returned), names(model, expected),
                 what=T(ja="返されたパラメータ（名前で表示）", en="the returned parameters (by name)"), help=LIST_HELP)


@pytest.mark.points(1)
@given(case=cases())
@example(case=Case(PINNED.spec, 3, 0))
@settings(max_examples=20)
def test_head_is_a_fresh_linear(case: Case) -> None:
    """model.fc is a new nn.Linear(old in_features, num_classes) with a bias, trainable."""
    spec, k, n = case
    model, _, _, old = prepare(spec, k, n)
    head = model.fc
    help_ = T(ja="model.fc = nn.Linear(model.fc.in_features, num_classes) で新しい層に差し替えます（出力数が同じでも）",
              en="model.fc = nn.Linear(model.fc.in_features, num_classes) makes a new layer (even when the size matches)")
    expect(isinstance(head, _Linear) and head is not old,
           T(ja="model.fc が新しい nn.Linear ではありません", en="model.fc is not a new nn.Linear"), help_)
    expect_equal((head.in_features, head.out_features, head.bias is not None), (spec.width, k, True),
                 what=T(ja="model.fc の (in_features, out_features, バイアスあり)",
                        en="model.fc's (in_features, out_features, has a bias)"), help=help_)
    expect(all(p.requires_grad for p in _parameters(head)),
           T(ja="新しい fc が凍結されています", en="the new fc is frozen"),
           T(ja="凍結は fc を差し替える前に行います", en="freeze before replacing fc, not after"))


@pytest.mark.points(1)
@given(case=cases(), batch=st.integers(1, 3))
@settings(max_examples=15)
def test_maps_a_batch_to_num_classes(case: Case, batch: int) -> None:
    """After the call, the model maps (B, …) to (B, num_classes)."""
    spec, k, n = case
    model, *_ = prepare(spec, k, n)
    with torch.no_grad():
        out = model.eval()(inputs(spec, batch))
    expect_equal(tuple(out.shape), (batch, k), what=T(ja="出力の形", en="the output's shape"),
                 help=T(ja="新しい fc の入力数は元の fc.in_features（その前の層の出力数）です",
                        en="the new fc takes the old fc.in_features inputs (what the layer before it gives)"))


@pytest.mark.points(2)
@given(case=cases())
@example(case=PINNED)
@settings(max_examples=25)
def test_only_the_head_and_the_last_blocks_are_trainable(case: Case) -> None:
    """requires_grad is True exactly for the new fc and the last n blocks (stem included in the frozen)."""
    spec, k, n = case
    model, _, trained, _ = prepare(spec, k, n)
    expect_flags(model, trained)


@pytest.mark.points(2)
@given(case=cases())
@example(case=PINNED)
@settings(max_examples=25)
def test_returns_the_trainable_parameters_once_in_order(case: Case) -> None:
    """The result lists the trainable parameters, each once, in model.parameters() order."""
    spec, k, n = case
    model, returned, trained, _ = prepare(spec, k, n)
    expect_returned(model, returned, trained)


@pytest.mark.points(2)
@given(case=cases())
@example(case=PINNED)
@settings(max_examples=20)
def test_training_moves_only_the_trainable_parameters(case: Case) -> None:
    """Three SGD steps on the returned list: frozen parameters bitwise unchanged with no .grad,
    trainable ones changed."""
    spec, k, n = case
    model, returned, trained, _ = prepare(spec, k, n)
    before = {name: p.detach().clone() for name, p in _named_parameters(model)}
    optimizer = _SGD(list(returned), lr=0.1, momentum=0.9)
    x, target = inputs(spec), torch.randn(4, k, generator=torch.Generator().manual_seed(2))
    model.train()
    for _ in range(3):
        optimizer.zero_grad()
        _mse(model(x), target).backward()
        optimizer.step()
    wrong = []
    for name, p in _named_parameters(model):
        changed = not _equal(p.detach(), before[name])
        if id(p) in trained and not changed:
            wrong.append(T(ja=f"{name} が学習されていません", en=f"{name} was not trained"))
        elif id(p) not in trained and (changed or p.grad is not None):
            wrong.append(T(ja=f"凍結すべき {name} が{'変化しました' if changed else ' .grad を持っています'}",
                           en=f"{name}, which should be frozen, {'changed' if changed else 'has a .grad'}"))
    expect(not wrong, T(ja="学習後: " + "、".join(w.ja for w in wrong), en="after training: " + "; ".join(w.en for w in wrong)),
           T(ja="凍結は requires_grad=False で行い（勾配を 0 にするフックではなく）、オプティマイザには学習対象だけを渡します",
             en="freeze with requires_grad=False (not with hooks that zero the gradient) and give the optimizer "
                "only what is trained"))


@pytest.mark.points(1)
@given(case=cases())
@example(case=PINNED)
@settings(max_examples=15)
def test_trainable_parameter_count(case: Case) -> None:
    """Trainable parameters: the new fc's plus the last n blocks' (a shared one counted once)."""
    spec, k, n = case
    model, *_ = prepare(spec, k, n)
    blocks = list(model.features)
    last = {id(p): p.numel() for block in blocks[len(blocks) - n:] for p in _parameters(block)}
    expect_param_count(model, sum(last.values()) + spec.width * k + k, trainable_only=True,
                       what=T(ja="学習対象のパラメータ数", en="the number of trainable parameters"), help=FREEZE_HELP)


@pytest.mark.points(1)
def test_rejects_bad_arguments() -> None:
    """num_classes < 1, or train_last_n_blocks outside 0..len(features), raises ValueError."""
    for num_classes, n in [(0, 0), (-2, 1), (3, -1), (3, 4), (3, 9)]:
        model = Backbone(Spec("mlp", 3, ("weighted", "norm", "act"), True, False, False, 2))
        expect_raises(ValueError, ex.prepare_for_finetuning, model, num_classes, n,
                      what=T(ja=f"features が 3 ブロックのモデルで num_classes={num_classes}, train_last_n_blocks={n}",
                             en=f"num_classes={num_classes}, train_last_n_blocks={n} for a model with 3 feature blocks"),
                      help=T(ja="num_classes >= 1 と 0 <= train_last_n_blocks <= len(model.features) を最初に確かめます",
                             en="check num_classes >= 1 and 0 <= train_last_n_blocks <= len(model.features) first"))


@pytest.mark.points(1)
@given(case=cases(tied=True))
@settings(max_examples=20)
def test_a_weight_shared_with_a_trained_block_is_trained_and_listed_once(case: Case) -> None:
    """The first and the last block share a weight: it is one of the last blocks' parameters,
    so it is trainable, and it is returned once."""
    spec, k, n = case
    model, returned, trained, _ = prepare(spec, k, n)
    expect_flags(model, trained)
    expect_returned(model, returned, trained)
