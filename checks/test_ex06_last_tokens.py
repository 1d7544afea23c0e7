"""Checks for exercise 6: `last_tokens(hidden, lengths)` picks hidden[b, lengths[b] - 1].

Contract: /work/shared/design/exercises.md, ex6. Where it is silent, these checks decide:
- An empty batch (B = 0) is not checked: good styles differ (`lengths.min()` raises on it).
- `lengths` is on the same device as `hidden` in every check; mixing devices is not checked.
- A non-contiguous `hidden` (an RNN output transposed to batch-first) is a valid (B, T, F)
  input and must work, as must a strided `lengths`.
- Non-integer `lengths` (float, bool) are not checked.
- The positions not selected may hold anything — NaN, ±inf, ±1e30, the dtype's largest value
  (padding is often uninitialised memory) — and the result is still exactly the selected rows,
  an inf selected value included: the selection is exact, not arithmetic. So multiplying by a
  one-hot mask (or a one-hot matmul) and summing over T is wrong (0 * inf and 0 * NaN are NaN),
  as are a soft weighting, a difference of cumulative sums and nan_to_num before a sum;
  indexing, gather, or torch.where / masked_fill to 0 before the sum are right.
- "Efficiently" is graded by counting dispatched aten ops (`checks.opcount`) at B = 2 and
  B = 9 with T fixed: the count must not grow with B. Validation with a constant number of
  ops (`(lengths < 1).any()`) is fine; a Python loop over the batch, for the selection or
  for the validation, is not. Only a correct result is graded for efficiency.
- Likewise "hidden and lengths are not modified" is graded with the right rows: a function
  that ignores its inputs also leaves them as they were.
"""

from __future__ import annotations

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

from checks import strategies as draw
from checks.compare import expect_close, expect_dtype, expect_equal_arrays, expect_shape, expect_tensor
from checks.devices import on_every_device
from checks.differential import expect_unmodified
from checks.feedback import Failure, T, expect, expect_raises, show, showing
from checks.gradients import expect_gradients_match
from checks.opcount import count_ops, describe_growth, growth
from checks.submission import student

ex = student("ex06_last_tokens")

RESULT = T(ja="last_tokens の戻り値", en="the result of last_tokens")
HELP_INDEX = T(
    ja="lengths[b] は長さ（1 始まりの個数）、インデックスは 0 始まりです。最後の有効なトークンは "
       "hidden[b, lengths[b] - 1] です（gather や torch.arange を使った高度なインデックス参照）",
    en="lengths[b] is a count (1-based) while indices are 0-based: the last valid token is "
       "hidden[b, lengths[b] - 1] (use gather, or advanced indexing with torch.arange)",
)
HELP_SHAPE = T(
    ja="結果は (B, F) です。gather の後は squeeze(1) で時間の次元を落とします",
    en="the result is (B, F): after gather, drop the time dimension with squeeze(1)",
)
HELP_DTYPE = T(
    ja="lengths は任意の整数 dtype です。gather やインデックスに使う前に .long() で int64 にします"
       "（uint8 のインデックスはブールのマスクとして扱われ、0 - 1 は 255 になります）",
    en="lengths may be any integer dtype: convert with .long() before using it as an index "
       "(a uint8 index is taken as a boolean mask, and uint8 0 - 1 wraps to 255)",
)
HELP_VALIDATE = T(
    ja="引数の検査：(lengths < 1) や (lengths > T) を .any() でまとめて調べ、当てはまれば "
       "raise ValueError(...) します。負のインデックスは末尾から数えるので、検査しないと黙って誤った値になります",
    en="validate arguments: test (lengths < 1) and (lengths > T) with .any() and raise ValueError(...) "
       "if so; a negative index counts from the end, so without a check you silently get a wrong row",
)
HELP_GRAD = T(
    ja="計算グラフ：detach()、.numpy()、torch.no_grad()、torch.tensor(...) で作り直すと勾配が切れます。"
       "gather やインデックス参照は微分可能です",
    en="the computation graph: detach(), .numpy(), torch.no_grad() or rebuilding with torch.tensor(...) "
       "cut the gradient; gather and indexing are differentiable",
)


# --------------------------------------------------------------------------- helpers

@st.composite
def padded_batches(draw_: st.DrawFn, dtypes: tuple = (torch.float32, torch.float64)) -> tuple[torch.Tensor, np.ndarray]:
    """(hidden (B, T, F) of random normal values, lengths (B,) int64 in [1, T]).

    Only sizes, lengths and a seed are drawn, so a failure shrinks fast to a small batch;
    random values are distinct, so the wrong position never gives the right number."""
    b = draw_(st.integers(1, 6))
    t = draw_(st.integers(1, 7))
    f = draw_(st.integers(1, 4))
    dtype = draw_(st.sampled_from(dtypes))
    lengths = draw_(st.lists(st.integers(1, t), min_size=b, max_size=b))
    seed = draw_(draw.seeds())
    hidden = torch.randn(b, t, f, generator=torch.Generator().manual_seed(seed), dtype=torch.float64).to(dtype)
    return hidden, np.array(lengths, dtype=np.int64)


def describe(hidden: torch.Tensor, lengths: np.ndarray) -> str:
    """The inputs, as a learner can retype them."""
    return f"hidden = {show(hidden, limit=900)}\nlengths = torch.tensor({lengths.tolist()})"


def expected_rows(hidden: np.ndarray, lengths: np.ndarray) -> np.ndarray:
    """What the contract asks for, computed here with numpy (never with the learner's code)."""
    return hidden[np.arange(len(lengths)), lengths.astype(np.int64) - 1]


def encoded_hidden(b: int, t: int, f: int, dtype: torch.dtype = torch.float32) -> torch.Tensor:
    """hidden[b, t, f] = 100*b + 10*t + f: a wrong value tells which position was picked."""
    grid = np.arange(b)[:, None, None] * 100 + np.arange(t)[None, :, None] * 10 + np.arange(f)[None, None, :]
    return torch.tensor(grid, dtype=dtype)


def call(hidden: torch.Tensor, lengths: torch.Tensor, example: str, *, copy: bool = True) -> torch.Tensor:
    """Call the learner's function (on copies unless told otherwise: the expected values stay untouched)."""
    with showing(example):
        out = ex.last_tokens(hidden.clone() if copy else hidden, lengths.clone() if copy else lengths)
    return expect_tensor(out, RESULT)


def check_rows(out: torch.Tensor, hidden: np.ndarray, lengths: np.ndarray, counterexample: object = None,
               help: T = HELP_INDEX) -> None:
    b, _, f = hidden.shape
    expect_shape(out, (b, f), RESULT, HELP_SHAPE, counterexample=counterexample)
    expect_close(out, expected_rows(hidden, lengths), RESULT, help, counterexample=counterexample)


# --------------------------------------------------------------------------- values

@pytest.mark.points(3)
@given(batch=padded_batches())
def test_selects_last_valid_token(batch: tuple[torch.Tensor, np.ndarray]) -> None:
    """Row b of the result is hidden[b, lengths[b] - 1], for any B, T, F and lengths."""
    hidden, lengths = batch
    example = describe(hidden, lengths)
    out = call(hidden, torch.from_numpy(lengths.copy()), example)
    check_rows(out, hidden.numpy(), lengths, counterexample=example)


@pytest.mark.points(1)
def test_worked_example() -> None:
    """A readable example: hidden[b, t, f] = 100*b + 10*t + f, lengths [3, 1, 5, 2]."""
    hidden = encoded_hidden(4, 6, 3)
    lengths = torch.tensor([3, 1, 5, 2])
    example = "hidden[b, t, f] = 100*b + 10*t + f, shape (4, 6, 3); lengths = [3, 1, 5, 2]"
    out = call(hidden, lengths, example)
    check_rows(out, hidden.numpy(), lengths.numpy(), counterexample=example)


@pytest.mark.points(1)
@pytest.mark.parametrize("dtype", [torch.float16, torch.float32, torch.float64], ids=lambda d: str(d)[6:])
def test_dtype_preserved(dtype: torch.dtype) -> None:
    """The result has hidden's dtype (float16, float32, float64) and the right values."""
    hidden = encoded_hidden(3, 4, 2, dtype)
    lengths = torch.tensor([4, 2, 1])
    example = f"hidden[b, t, f] = 100*b + 10*t + f, shape (3, 4, 2), dtype={dtype}; lengths = [4, 2, 1]"
    out = call(hidden, lengths, example)
    expect_dtype(out, dtype, RESULT,
                 T(ja="hidden の dtype を保ちます（.float() などで変換しない）",
                   en="keep hidden's dtype (do not convert with .float() etc.)"), counterexample=example)
    check_rows(out, hidden.numpy(), lengths.numpy(), counterexample=example)


@pytest.mark.points(2)
def test_lengths_of_any_integer_dtype() -> None:
    """lengths may be int8, int16, int32, int64 or uint8: the same rows come out."""
    hidden = encoded_hidden(3, 5, 2)
    values = [5, 1, 3]
    for dtype in (torch.int64, torch.int32, torch.int16, torch.int8, torch.uint8):
        lengths = torch.tensor(values, dtype=dtype)
        example = f"hidden[b, t, f] = 100*b + 10*t + f, shape (3, 5, 2); lengths = torch.tensor({values}, dtype={dtype})"
        out = call(hidden, lengths, example)
        check_rows(out, hidden.numpy(), np.array(values), counterexample=example, help=HELP_DTYPE)
        expect_dtype(out, hidden.dtype, RESULT, HELP_DTYPE, counterexample=example)


@pytest.mark.points(0.5)
@pytest.mark.parametrize("size", [(1, 1, 1), (1, 5, 1), (4, 1, 3), (1, 1, 6)], ids=lambda s: "B{}_T{}_F{}".format(*s))
def test_size_one_dimensions(size: tuple[int, int, int]) -> None:
    """B = 1, T = 1 and F = 1 work (squeeze() without a dim would drop them)."""
    b, t, f = size
    hidden = encoded_hidden(b, t, f)
    lengths = torch.arange(b) % t + 1
    example = f"hidden[b, t, f] = 100*b + 10*t + f, shape {size}; lengths = {lengths.tolist()}"
    out = call(hidden, lengths, example)
    check_rows(out, hidden.numpy(), lengths.numpy(), counterexample=example)


def fill_values(dtype: torch.dtype) -> dict[str, float]:
    """What padding may hold, by name: non-finite values and huge finite ones for `dtype`."""
    biggest = torch.finfo(dtype).max
    return {"nan": float("nan"), "inf": float("inf"), "-inf": float("-inf"), "1e30": 1e30, "-1e30": -1e30,
            "max": biggest, "-max": -biggest}


@st.composite
def padded_with_anything(draw_: st.DrawFn) -> tuple[torch.Tensor, np.ndarray]:
    """A padded batch (float16, float32 or float64) whose every position but the selected ones
    holds NaN, ±inf, ±1e30 or ±the dtype's largest value (the drawn kinds, cycled through); at
    times the first selected value is inf itself (it must come back as it is)."""
    hidden, lengths = draw_(padded_batches(dtypes=(torch.float32, torch.float64, torch.float16)))
    if draw_(st.booleans()):
        hidden[0, lengths[0] - 1, 0] = float("inf")
    fills = fill_values(hidden.dtype)
    kinds = draw_(st.lists(st.sampled_from(list(fills)), min_size=1, max_size=4))
    b, t, f = hidden.shape
    values = [fills[kind] for kind in kinds]
    fill = torch.tensor(values, dtype=torch.float64)[torch.arange(b * t * f) % len(values)]
    selected = torch.zeros(b, t, dtype=torch.bool)
    selected[torch.arange(b), torch.from_numpy(lengths) - 1] = True
    return torch.where(selected[..., None], hidden, fill.reshape(b, t, f).to(hidden.dtype)), lengths


@pytest.mark.points(2)
@given(batch=padded_with_anything())
def test_other_positions_do_not_leak(batch: tuple[torch.Tensor, np.ndarray]) -> None:
    """Whatever every other position holds (NaN, ±inf, ±1e30, the dtype's largest value), the
    result is exactly the selected rows, an inf among them included: the padding never reaches it."""
    hidden, lengths = batch
    example = describe(hidden, lengths)
    out = call(hidden, torch.from_numpy(lengths.copy()), example)
    b, _, f = hidden.shape
    expect_shape(out, (b, f), RESULT, HELP_SHAPE, counterexample=example)
    expect_equal_arrays(
        out, expected_rows(hidden.numpy(), lengths), RESULT, counterexample=example,
        help=T(ja="選ぶのは 1 つの位置だけで、他の位置（パディング）の値は結果に一切影響しません。"
                  "one-hot のマスクを掛けて T で足すと 0 * inf や 0 * NaN が NaN になり、softmax などの重み付けや"
                  "累積和の差では大きな値が混ざります。gather やインデックス参照で取り出します"
                  "（足すなら先に torch.where や masked_fill で 0 にします）。選んだ値は inf でもそのまま返します"
                  "（nan_to_num や clamp で変えない）",
               en="pick exactly one position: the other (padding) positions must not affect the result at all. "
                  "Multiplying by a one-hot mask and summing over T turns 0 * inf and 0 * NaN into NaN; a "
                  "weighting (softmax, averaging) or a difference of cumulative sums lets large values through. "
                  "Select with gather or indexing (or zero them with torch.where / masked_fill before a sum). "
                  "The selected value comes back as it is, even inf (no nan_to_num, no clamp)"))


@pytest.mark.points(1)
def test_non_contiguous_inputs() -> None:
    """A transposed (non-contiguous) hidden and a strided lengths work like contiguous ones."""
    time_major = encoded_hidden(3, 5, 2).permute(1, 0, 2).contiguous()  # (T, B, F), as nn.RNN returns
    hidden = time_major.transpose(0, 1)  # (B, T, F), not contiguous
    lengths = torch.tensor([5, 0, 2, 0, 4])[::2]  # (3,) with stride 2: [5, 2, 4]
    hidden_np, lengths_np = hidden.numpy().copy(), lengths.numpy().copy()  # before the call
    example = ("hidden = rnn_output.transpose(0, 1)  # shape (3, 5, 2), non-contiguous\n"
               "lengths = torch.tensor([5, 0, 2, 0, 4])[::2]  # [5, 2, 4], stride 2")
    out = call(hidden, lengths, example, copy=False)  # clone() would make them contiguous
    check_rows(out, hidden_np, lengths_np, counterexample=example)


# --------------------------------------------------------------------------- validation

@pytest.mark.points(1)
def test_boundary_lengths_are_valid() -> None:
    """Lengths exactly 1 and exactly T are valid: no error, right rows."""
    hidden = encoded_hidden(3, 4, 2)
    for values in ([1, 4, 1], [4, 4, 4], [1, 1, 1]):
        lengths = torch.tensor(values)
        example = f"hidden[b, t, f] = 100*b + 10*t + f, shape (3, 4, 2); lengths = {values}"
        try:
            with showing(example):
                out = ex.last_tokens(hidden.clone(), lengths.clone())
        except ValueError as exc:
            raise Failure(
                T(ja=f"有効な長さ {values}（1 ≤ 長さ ≤ T = 4）で ValueError が送出されました: {exc}",
                  en=f"valid lengths {values} (1 <= length <= T = 4) raised ValueError: {exc}"),
                T(ja="範囲は 1 以上 T 以下です（両端を含む）。< と <= を確かめてください",
                  en="the valid range is 1..T inclusive: check < versus <="),
                counterexample=example,
            ) from None
        check_rows(expect_tensor(out, RESULT), hidden.numpy(), np.array(values), counterexample=example)


OUT_OF_RANGE = {
    "zero": ([2, 0, 3], torch.int64, T(ja="長さ 0", en="a length of 0")),
    "zero_uint8": ([2, 0, 3], torch.uint8, T(ja="uint8 の長さ 0", en="a uint8 length of 0")),
    "greater_than_T": ([2, 5, 1], torch.int32, T(ja="T = 4 より大きい長さ 5", en="a length of 5 > T = 4")),
    "negative": ([2, -1, 3], torch.int64, T(ja="負の長さ -1", en="a negative length -1")),
}


@pytest.mark.points(1)
@pytest.mark.parametrize("case", list(OUT_OF_RANGE))
def test_out_of_range_length_raises(case: str) -> None:
    """A length of 0, a negative one or one greater than T raises ValueError."""
    values, dtype, what = OUT_OF_RANGE[case]
    hidden = encoded_hidden(3, 4, 2)
    lengths = torch.tensor(values, dtype=dtype)
    label = T(ja=f"{what.ja}（hidden の形 (3, 4, 2)、lengths = {values}, {dtype}）",
              en=f"{what.en} (hidden shape (3, 4, 2), lengths = {values}, {dtype})")
    expect_raises(ValueError, ex.last_tokens, hidden, lengths, what=label, help=HELP_VALIDATE)


# --------------------------------------------------------------------------- gradients, side effects

@pytest.mark.points(2)
@settings(max_examples=20)
@given(batch=padded_batches(dtypes=(torch.float64,)))
def test_gradient_reaches_only_selected_positions(batch: tuple[torch.Tensor, np.ndarray]) -> None:
    """Backward of <w, result> puts w[b] at hidden[b, lengths[b] - 1] and 0 everywhere else
    (w fixed and positive: checks.gradients)."""
    values, lengths_np = batch
    example = describe(values, lengths_np) + "  # hidden.requires_grad_()"
    lengths = torch.from_numpy(lengths_np.copy())
    expect_gradients_match(lambda h: ex.last_tokens(h, lengths.clone()),
                           lambda h: h[torch.arange(len(lengths)), lengths - 1], values,
                           what=T(ja="hidden の勾配（選んだ位置だけ重み、他は 0 のはず）",
                                  en="the gradient of hidden (the weights at the selected positions, 0 elsewhere)"),
                           help=HELP_INDEX, example=example)


@pytest.mark.points(1)
def test_inputs_not_modified() -> None:
    """hidden and lengths are the same after a call that returns the right rows (no in-place
    `lengths -= 1`)."""
    hidden = encoded_hidden(3, 4, 2)
    lengths = torch.tensor([2, 4, 1])
    example = "hidden[b, t, f] = 100*b + 10*t + f, shape (3, 4, 2); lengths = [2, 4, 1]"
    help = T(ja="in-place 演算（lengths -= 1、sub_ など）は呼び出し元のテンソルを書き換えます。lengths - 1 のように新しいテンソルを作ります",
             en="in-place ops (lengths -= 1, sub_, ...) change the caller's tensor: build a new one, e.g. lengths - 1")
    out = expect_unmodified(ex.last_tokens, hidden, lengths, what=T.same("last_tokens(hidden, lengths)"),
                            help=help, example=example)
    check_rows(expect_tensor(out, RESULT), hidden.numpy(), lengths.numpy(), counterexample=example)


# --------------------------------------------------------------------------- efficiency

@pytest.mark.points(4)
def test_op_count_does_not_grow_with_batch() -> None:
    """The number of dispatched tensor ops is the same at B = 2 and B = 9 (no loop over the batch)."""
    fn = ex.last_tokens  # imported here, outside the counting
    steps, features = 10, 3
    generator = torch.Generator().manual_seed(6)
    counts = {}
    for b in (2, 9):
        hidden = torch.randn(b, steps, features, generator=generator)
        # Distinct lengths, so grouping by length does not hide a loop.
        lengths = torch.randperm(steps, generator=generator)[:b] + 1
        expected = expected_rows(hidden.numpy(), lengths.numpy())
        example = f"hidden = torch.randn({b}, {steps}, {features}); lengths = {lengths.tolist()}"
        with showing(example):
            counted, out = count_ops(fn, hidden.clone(), lengths.clone())
        out = expect_tensor(out, RESULT)
        expect_shape(out, (b, features), RESULT, HELP_SHAPE, counterexample=example)
        expect_close(out, expected,
                     T(ja=f"{RESULT.ja}（効率は正しい結果に対してのみ採点します）",
                       en=f"{RESULT.en} (efficiency is graded only for a correct result)"),
                     HELP_INDEX, counterexample=example)
        counts[b] = counted
    grown = growth(counts[2], counts[9])
    if grown:
        small, large = sum(counts[2].values()), sum(counts[9].values())
        raise Failure(
            T(ja=f"テンソル演算の数がバッチサイズとともに増えています: B=2 で {small} 回、B=9 で {large} 回"
                 f"（増えた演算: {describe_growth(grown)}）。バッチについてループしているようです",
              en=f"the number of tensor operations grows with the batch size: {small} at B=2, {large} at B=9 "
                 f"(ops that grew: {describe_growth(grown)}); it looks like a loop over the batch"),
            T(ja="ベクトル化：for b in range(B) の代わりに、gather や hidden[torch.arange(B), lengths - 1] で"
                 "全行を一度に取り出します。検査も (lengths < 1).any() のように一度に行います",
              en="vectorisation: instead of for b in range(B), pick every row at once with gather or "
                 "hidden[torch.arange(B), lengths - 1]; validate at once too, e.g. (lengths < 1).any()"),
        )


# --------------------------------------------------------------------------- devices

@pytest.mark.points(1)
@on_every_device
def test_same_result_on_device(device: torch.device) -> None:
    """On every device the result stays on that device and equals the expected rows."""
    hidden = encoded_hidden(4, 5, 3)
    lengths = torch.tensor([5, 1, 3, 2])
    example = f"device={device.type}; hidden[b, t, f] = 100*b + 10*t + f, shape (4, 5, 3); lengths = [5, 1, 3, 2]"
    out = call(hidden.to(device), lengths.to(device), example)
    expect(out.device.type == device.type,
           T(ja=f"結果が {out.device} にあります（hidden は {device.type} 上）",
             en=f"the result is on {out.device}, but hidden is on {device.type}"),
           T(ja="hidden と同じデバイスで計算します（torch.arange(..., device=hidden.device) など）",
             en="compute on hidden's device (torch.arange(..., device=hidden.device), ...)"))
    check_rows(out, hidden.numpy(), lengths.numpy(), counterexample=example)
