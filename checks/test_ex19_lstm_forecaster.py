"""Checks for exercise 19: `make_windows(series, window, horizon=1)` and `LSTMForecaster`.

Contract: make_windows turns a (T,) or (T, F) series (1-D is F = 1) into X (N, window, F)
and Y (N, horizon, F) with X[i] = series[i:i+window], Y[i] = series[i+window:i+window+horizon],
N = T - window - horizon + 1 (N <= 0: empty tensors with those trailing shapes), the series'
dtype, ValueError for window or horizon < 1. LSTMForecaster is nn.LSTM(input_size,
hidden_size, num_layers, batch_first=True), then Linear(hidden_size, horizon * input_size) on
the last time step's output, reshaped to (B, horizon, input_size).

Decisions where the contract is silent:
- make_windows is compared with an oracle written here (checks.differential.expect_matches):
  type, shape, dtype and values of both tensors, and the series must not be modified (an
  in-place `unsqueeze_` on the caller's 1-D tensor fails). X and Y may be views of the series
  (`unfold`) or copies (`stack`, numpy): not graded. Series are float32, float64 or int64 on
  the CPU; T may be 0; tensors of 3 or more dimensions are not graded.
- Each edge case has its own check, so a mistake on one costs that check's points: the slice
  checks draw series where at least one window fits (N >= 1); only the empty-windows check
  draws N <= 0, and the dtype check draws (T, F) series (1-D ones have their own check).
- The ValueError cases are window or horizon 0 or negative; a window or horizon longer than
  the series is not an error (N <= 0: empty tensors).
- LSTMForecaster's module names and definition order are free: the oracle's weights are
  copied by order, else by shape (checks.modules.copy_weights). The drawn sizes keep
  horizon * input_size != 4 * hidden_size, so a Linear and an LSTM weight never have the same
  shape. A time-major nn.LSTM (batch_first=False) run on a transposed input is the same
  function and passes; so do out[:, -1] and h_n[-1] (equal for a one-directional LSTM).
- The forward pass is stateless: the oracle comparison calls the model twice on two batches
  of the same size, so a state carried over from the previous call fails.
- "Rows independent": row b of a batch's prediction equals the prediction for row b alone
  (float32 tolerance), with the learner's own initialisation. "Uses the last time step":
  changing only the last time step of the input changes every row's prediction.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
import pytest
import torch
from hypothesis import example, given, settings
from hypothesis import strategies as st
from torch import nn

from checks import strategies as draw
from checks.compare import as_numpy, expect_close, expect_shape
from checks.differential import expect_matches
from checks.feedback import Failure, T, expect, expect_equal, expect_raises
from checks.modules import expect_param_count, expect_same_outputs
from checks.submission import student

ex = student("ex19_lstm_forecaster")

_Module = nn.Module

WINDOWS = T(ja="make_windows の戻り値 (X, Y)", en="what make_windows returns, (X, Y)")
SLICES_HELP = T(ja="X[i] = series[i : i+window]、Y[i] = series[i+window : i+window+horizon]、"
                   "i = 0 … T - window - horizon（全部で T - window - horizon + 1 個）",
                en="X[i] = series[i : i+window], Y[i] = series[i+window : i+window+horizon], "
                   "for i = 0 … T - window - horizon (T - window - horizon + 1 windows)")
MODEL = T(ja="LSTMForecaster の出力", en="the output of LSTMForecaster")
MODEL_HELP = T(ja="out, _ = lstm(x)（batch_first=True）、head(out[:, -1]) を reshape(B, horizon, input_size)",
               en="out, _ = lstm(x) (batch_first=True), then head(out[:, -1]) reshaped to (B, horizon, input_size)")


def oracle_windows(series: torch.Tensor, window: int, horizon: int) -> tuple[torch.Tensor, torch.Tensor]:
    """The contract, written as plainly as possible (a loop over the start positions)."""
    s = series.unsqueeze(-1) if series.dim() == 1 else series
    n = s.shape[0] - window - horizon + 1
    if n <= 0:
        return s.new_empty((0, window, s.shape[1])), s.new_empty((0, horizon, s.shape[1]))
    xs = [s[i:i + window] for i in range(n)]
    ys = [s[i + window:i + window + horizon] for i in range(n)]
    return torch.stack(xs), torch.stack(ys)


class Oracle(nn.Module):
    """The forecaster as the contract words it, built here (the reference is not shipped)."""

    def __init__(self, input_size: int, hidden_size: int, num_layers: int, horizon: int) -> None:
        super().__init__()
        self.shape = (horizon, input_size)
        self.lstm = nn.LSTM(input_size, hidden_size, num_layers, batch_first=True)
        self.head = nn.Linear(hidden_size, horizon * input_size)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        out, _ = self.lstm(x)
        return self.head(out[:, -1]).reshape(x.shape[0], *self.shape)


class Windows(NamedTuple):
    """One drawn call: make_windows(series, window, horizon)."""
    series: torch.Tensor
    window: int
    horizon: int


@st.composite
def series_cases(draw_: st.DrawFn, dims: tuple[int, ...] = (1, 2), dtypes: tuple[str, ...] = ("float32",),
                 short: bool = False) -> Windows:
    """A series (T,) or (T, F), a window and a horizon: N >= 1 windows fit, or none when `short`."""
    window, horizon = draw_(st.integers(1, 5)), draw_(st.integers(1, 4))
    t = draw_(st.integers(0, window + horizon - 1) if short else st.integers(window + horizon, 12))
    shape = (t,) if draw_(st.sampled_from(dims)) == 1 else (t, draw_(st.integers(1, 3)))
    dtype = draw_(st.sampled_from(dtypes))
    if dtype == "int64":
        values = torch.randint(-100, 100, shape, generator=torch.Generator().manual_seed(draw_(draw.seeds())))
    else:
        values = draw_(draw.tensors(shape, dtype=dtype, magnitude=100.0))
    return Windows(values, window, horizon)


@pytest.mark.points(2)
@given(case=series_cases(dims=(2,)))
def test_windows_are_the_series_slices(case: Windows) -> None:
    """For a (T, F) series, X[i] and Y[i] are the slices the contract names, N of them."""
    expect_matches(ex.make_windows, oracle_windows, *case, what=WINDOWS, help=SLICES_HELP)


@pytest.mark.points(1)
@given(window=st.integers(1, 5), horizon=st.integers(1, 4), extra=st.integers(0, 3))
def test_no_target_leaks_into_its_window(window: int, horizon: int, extra: int) -> None:
    """With a series that only increases, each of the N windows has a target that lies
    strictly after its input window."""
    t = window + horizon + extra
    example = f"series=torch.arange({t}.0).unsqueeze(-1), window={window}, horizon={horizon}"
    x, y = ex.make_windows(torch.arange(t, dtype=torch.float64).unsqueeze(-1), window, horizon)
    x, y = as_numpy(x, T(ja="X", en="X")), as_numpy(y, T(ja="Y", en="Y"))
    expect_equal((len(x), len(y)), (extra + 1, extra + 1), what=T(ja="(len(X), len(Y))", en="(len(X), len(Y))"),
                 help=SLICES_HELP, counterexample=example)
    leaks = [i for i in range(len(x)) if x[i].size and y[i].size and not y[i].min() > x[i].max()]
    expect(not leaks, T(ja=f"窓 {leaks[:3]} で、予測すべき値が入力ウィンドウと重なっています",
                        en=f"in windows {leaks[:3]}, the target overlaps its input window"),
           T(ja="答え Y[i] は入力 X[i] の直後の series[i+window] から始まります",
             en="the target Y[i] starts right after the input, at series[i+window]"), counterexample=example)


@pytest.mark.points(1)
@given(case=series_cases(dims=(1,), dtypes=("float32", "float64", "int64")))
def test_one_d_series_is_one_feature(case: Windows) -> None:
    """A 1-D series (T,) gives X (N, window, 1) and Y (N, horizon, 1); the series is untouched."""
    expect_matches(ex.make_windows, oracle_windows, *case, what=WINDOWS,
                   help=T(ja="1 次元の系列は unsqueeze(-1) で (T, 1) にしてから窓を作ります（unsqueeze_ は引数を書き換えます）",
                          en="make a 1-D series (T, 1) with unsqueeze(-1) first (unsqueeze_ would modify the argument)"))


@pytest.mark.points(1)
@given(case=series_cases(short=True, dtypes=("float32", "float64", "int64")))
def test_too_short_series_gives_empty_windows(case: Windows) -> None:
    """When no window fits (N <= 0), X is (0, window, F) and Y is (0, horizon, F), same dtype."""
    expect_matches(ex.make_windows, oracle_windows, *case, what=WINDOWS,
                   help=T(ja="窓が 1 つも作れないときは torch.empty((0, window, F), dtype=series.dtype) のように"
                             "形と dtype をそろえた空テンソルを返します",
                          en="when no window fits, return empty tensors shaped and typed like the others, e.g. "
                             "torch.empty((0, window, F), dtype=series.dtype)"))


@pytest.mark.points(1)
@given(case=series_cases(dims=(2,), dtypes=("float64", "int64")))
def test_windows_keep_the_series_dtype(case: Windows) -> None:
    """(T, F) float64 and int64 series give float64 and int64 windows (and the right values)."""
    expect_matches(ex.make_windows, oracle_windows, *case, what=WINDOWS,
                   help=T(ja="スライスと stack / unfold は dtype を変えません。.float() や torch.tensor(...) で作り直さないこと",
                          en="slicing, stack and unfold keep the dtype; do not rebuild with .float() or torch.tensor(...)"))


@pytest.mark.points(1)
def test_rejects_window_or_horizon_below_one() -> None:
    """window < 1 or horizon < 1 (zero or negative) raises ValueError."""
    for window, horizon in [(0, 1), (3, 0), (-1, 2), (2, -3)]:
        expect_raises(ValueError, ex.make_windows, torch.arange(10.0), window, horizon,
                      what=T(ja=f"window={window}, horizon={horizon}", en=f"window={window}, horizon={horizon}"),
                      help=T(ja="window と horizon はどちらも 1 以上です。関数の最初で確かめて ValueError を送出します"
                                "（if not window では負の値が通ってしまいます）",
                             en="window and horizon must both be at least 1: check them first and raise ValueError "
                                "(`if not window` lets negative values through)"))


# ------------------------------------------------------------------------------ LSTMForecaster

SIZES = st.tuples(st.integers(1, 3), st.integers(1, 5), st.integers(1, 3), st.integers(1, 3)).filter(
    lambda s: s[3] * s[0] != 4 * s[1])  # (input_size, hidden_size, num_layers, horizon)


def build(sizes: tuple[int, int, int, int]) -> nn.Module:
    model = ex.LSTMForecaster(*sizes)
    if not isinstance(model, _Module):
        raise Failure(T(ja=f"LSTMForecaster(...) が nn.Module ではありません（{type(model).__qualname__}）",
                        en=f"LSTMForecaster(...) is not an nn.Module ({type(model).__qualname__})"),
                      T(ja="class LSTMForecaster(nn.Module) と書き、__init__ で super().__init__() を呼びます",
                        en="write class LSTMForecaster(nn.Module) and call super().__init__() in __init__"))
    return model.eval()


def inputs(seed: int, batch: int, window: int, input_size: int) -> torch.Tensor:
    return torch.randn(batch, window, input_size, generator=torch.Generator().manual_seed(seed))


@pytest.mark.points(1)
@given(sizes=SIZES)
@example(sizes=(2, 3, 2, 2))
@settings(max_examples=15)
def test_parameter_count(sizes: tuple[int, int, int, int]) -> None:
    """As many parameters as nn.LSTM(input, hidden, num_layers) + Linear(hidden, horizon * input)."""
    expect_param_count(build(sizes), Oracle(*sizes), what=T(ja="LSTMForecaster のパラメータ数",
                                                              en="LSTMForecaster's parameter count"))


@pytest.mark.points(1)
@given(sizes=SIZES, batch=st.integers(1, 4), window=st.integers(1, 5))
@example(sizes=(1, 2, 1, 1), batch=1, window=1)
@settings(max_examples=15)
def test_output_shape(sizes: tuple[int, int, int, int], batch: int, window: int) -> None:
    """(B, window, input_size) in, (B, horizon, input_size) out, B = 1 and horizon = 1 included."""
    with torch.no_grad():
        out = build(sizes)(inputs(0, batch, window, sizes[0]))
    expect_shape(out, (batch, sizes[3], sizes[0]), MODEL,
                 T(ja="squeeze() は大きさ 1 の軸を消してしまいます。reshape(B, horizon, input_size) で形を決めます",
                   en="squeeze() drops every axis of size 1; reshape(B, horizon, input_size) fixes the shape"),
                 counterexample=f"x.shape={(batch, window, sizes[0])}")


@pytest.mark.points(2)
@given(sizes=SIZES, batch=st.integers(1, 4), window=st.integers(1, 5), seed=draw.seeds())
@example(sizes=(2, 3, 2, 2), batch=3, window=4, seed=0)
@settings(max_examples=15)
def test_same_outputs_as_the_contract_with_its_weights(sizes, batch, window, seed) -> None:
    """With the oracle's weights copied in, two successive batches give the oracle's outputs."""
    model, oracle = build(sizes), Oracle(*sizes)
    for k in range(2):
        expect_same_outputs(model, oracle, inputs(seed + k, batch, window, sizes[0]), what=MODEL, help=MODEL_HELP,
                            example=f"LSTMForecaster{sizes}, x.shape={(batch, window, sizes[0])}, call {k + 1}")


@pytest.mark.points(1)
@given(sizes=SIZES, batch=st.integers(2, 4), window=st.integers(2, 5), seed=draw.seeds())
@settings(max_examples=10)
def test_rows_are_predicted_independently(sizes, batch, window, seed) -> None:
    """Row b of a batch's prediction equals the prediction for row b alone."""
    model, x = build(sizes), inputs(seed, batch, window, sizes[0])
    shape = (1, sizes[3], sizes[0])
    with torch.no_grad():
        together = model(x)
        alone = [model(x[b:b + 1]) for b in range(batch)]
    for out in alone:
        expect_shape(out, shape, MODEL, counterexample=f"x.shape={shape[:1] + (window, sizes[0])}")
    expect_close(together, np.concatenate([as_numpy(out, MODEL) for out in alone]),
                 T(ja="model(x) の各行（期待値は各行だけで予測した model(x[b:b+1])）",
                   en="each row of model(x) (expected: model(x[b:b+1]), the row predicted alone)"),
                 T(ja="nn.LSTM は既定で (時間, バッチ, 特徴) を読みます。(B, window, input_size) には batch_first=True が必要です",
                   en="nn.LSTM reads (time, batch, features) by default; (B, window, input_size) needs batch_first=True"),
                 counterexample=f"LSTMForecaster{sizes}, x.shape={tuple(x.shape)}: model(x)[b] vs model(x[b:b+1])[0]")


@pytest.mark.points(1)
@given(sizes=SIZES, batch=st.integers(1, 4), window=st.integers(2, 5), seed=draw.seeds())
@settings(max_examples=10)
def test_prediction_uses_the_last_time_step(sizes, batch, window, seed) -> None:
    """Changing only the last time step of the input changes every row's prediction."""
    model, x = build(sizes), inputs(seed, batch, window, sizes[0])
    later = x.clone()
    later[:, -1] += 2.0
    with torch.no_grad():
        before, after = as_numpy(model(x), MODEL), as_numpy(model(later), MODEL)
    moved = abs(before - after).reshape(batch, -1).max(axis=1) > 1e-6 if before.shape == after.shape else []
    expect(bool(len(moved) == batch and moved.all()),
           T(ja="入力の最後のタイムステップを変えても予測が変わりません",
             en="changing the last time step of the input does not change the prediction"),
           T(ja="Linear に渡すのは LSTM の出力の最後のタイムステップ out[:, -1] です（out[:, 0] は最初のステップ）",
             en="the Linear gets the LSTM output of the last time step, out[:, -1] (out[:, 0] is the first one)"),
           counterexample=f"LSTMForecaster{sizes}, x.shape={tuple(x.shape)}, x[:, -1] += 2")
