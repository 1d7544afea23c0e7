"""Checks for exercise 14: `pairwise_sq_distances(a, b)` -> (N, M), out[i, j] = ||a_i - b_j||^2.

Contract: a (N, D) and b (M, D) of one floating dtype give an (N, M) tensor of that dtype and
device, never negative, accurate to (D + 16)·eps·(||a_i||² + ||b_j||²) plus the dtype's
smallest normal; N or M = 0 gives an empty (N, M); different D or inputs that are not 2-D
raise ValueError; gradients w.r.t. a and b are correct (float64); the number of dispatched
tensor operations does not grow with N or M; a and b are not modified.

Decisions where the contract is silent:
- The expected values are exact: computed here with Python fractions from the inputs' own
  values, then compared with rtol = 0 and the contract's bound as a per-element atol. So the
  expansion (clamped), the broadcast difference, einsum and torch.cdist(a, b) ** 2 all pass,
  while float32 arithmetic on float64 inputs does not.
- "Never negative" is graded on pairs of equal points (b holds some rows of a): the
  unclamped expansion goes below 0 there. Equal points at the origin have a bound of the
  smallest normal only, so clamping at an epsilon (1e-12) instead of 0 fails.
- Every call (checks.differential.expect_matches) also fails if a or b was modified.
- a and b of different dtypes, integer inputs, D = 0 and NaN/inf are not graded.
- Gradients are graded in float64 at distinct random points only: at a_i = b_j the derivative
  of cdist's square root is a convention, not the contract.
- Vectorisation is graded only for a correct result, first growing N (M fixed), then M (N
  fixed); a constant number of extra ops (validation, clamp) is fine.
- Device: on a simulated GPU (meta, checks.devices) the result stays there and no operation
  mixes devices; on a real CUDA/MPS device the values must also match.
"""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import pytest
import torch
from hypothesis import example, given, settings
from hypothesis import strategies as st

from checks import strategies as draw
from checks.compare import expect_tensor
from checks.devices import expect_stays_on_device, on_every_device
from checks.differential import expect_matches
from checks.feedback import Failure, T, expect, expect_raises, show
from checks.gradients import expect_gradients_match
from checks.opcount import expect_vectorised
from checks.submission import student

ex = student("ex14_pairwise_distances")

RESULT = T(ja="pairwise_sq_distances の戻り値", en="what pairwise_sq_distances returns")
HELP = T(ja="a[:, None, :] は (N, 1, D)、b[None, :, :] は (1, M, D)。引き算するとブロードキャストで (N, M, D) になるので、"
            "2 乗して dim=-1（D）で和を取ると (N, M) です。dtype は a のまま（.float() などで変換しない）",
         en="a[:, None, :] is (N, 1, D) and b[None, :, :] is (1, M, D): their difference broadcasts to (N, M, D); "
            "square it and sum over dim=-1 (D) to get (N, M). Keep a's dtype (no .float() conversion)")
HELP_CLAMP = T(ja="‖a‖² + ‖b‖² − 2·a·bᵀ は等しい点で丸めにより少し負になります。clamp(min=0) で 0 に切り上げます"
                  "（1e-12 のような小さな値ではなく 0 に）",
               en="‖a‖² + ‖b‖² − 2·a·bᵀ rounds to slightly below 0 at equal points: clamp(min=0) (at 0, not at a "
                  "small epsilon such as 1e-12)")


def exact(a: torch.Tensor, b: torch.Tensor) -> torch.Tensor:
    """The contract's values, computed exactly with fractions, rounded once to a's dtype."""
    rows_a = [[Fraction(float(v)) for v in row] for row in a.detach().double().tolist()]
    rows_b = [[Fraction(float(v)) for v in row] for row in b.detach().double().tolist()]
    out = [[float(sum((x - y) ** 2 for x, y in zip(p, q))) for q in rows_b] for p in rows_a]
    return torch.tensor(out, dtype=torch.float64).reshape(a.shape[0], b.shape[0]).to(a.dtype)


def bound(a: torch.Tensor, b: torch.Tensor) -> np.ndarray:
    """(D + 16)·eps·(‖a_i‖² + ‖b_j‖²) + the smallest normal, per element: the contract's accuracy."""
    info = torch.finfo(a.dtype)
    na = (a.double() ** 2).sum(1).numpy()[:, None]
    nb = (b.double() ** 2).sum(1).numpy()[None, :]
    return (a.shape[1] + 16) * info.eps * (na + nb) + info.tiny


def describe(a: torch.Tensor, b: torch.Tensor) -> str:
    return f"a = {show(a, 600)}\nb = {show(b, 600)}"


def expect_distances(a: torch.Tensor, b: torch.Tensor, help: T = HELP) -> torch.Tensor:
    return expect_matches(ex.pairwise_sq_distances, exact, a, b, what=RESULT, help=help, example=describe(a, b),
                          rtol=0.0, atol=bound(a, b))


@st.composite
def point_sets(draw_: st.DrawFn, shared: bool = False) -> tuple[torch.Tensor, torch.Tensor]:
    """a (N, D) and b (M, D), float32 or float64; with `shared`, b also holds some rows of a (equal points)."""
    dtype = draw_(draw.float_dtypes())
    n, m, d = draw_(st.integers(1, 5)), draw_(st.integers(1, 5)), draw_(st.integers(1, 5))
    np_dtype = np.float32 if dtype == torch.float32 else np.float64
    a = torch.from_numpy(draw_(draw.float_arrays((n, d), np_dtype, magnitude=100.0)))
    b = torch.from_numpy(draw_(draw.float_arrays((m, d), np_dtype, magnitude=100.0)))
    if shared:
        rows = draw_(st.lists(st.integers(0, n - 1), min_size=1, max_size=4))
        b = torch.cat([b, a[rows]])
    return a, b


# --------------------------------------------------------------------------- values

@pytest.mark.points(1)
def test_worked_example() -> None:
    """a = [[0, 0], [1, 1], [3, 4]], b = [[0, 0], [1, 0]] gives [[0, 1], [2, 1], [25, 20]]."""
    expect_distances(torch.tensor([[0.0, 0.0], [1.0, 1.0], [3.0, 4.0]]), torch.tensor([[0.0, 0.0], [1.0, 0.0]]))


@pytest.mark.points(3)
@given(points=point_sets())
def test_matches_squared_distances(points: tuple[torch.Tensor, torch.Tensor]) -> None:
    """For any a (N, D) and b (M, D), float32 or float64: out[i, j] = ‖a_i − b_j‖², a's dtype, within the bound."""
    expect_distances(*points)


def spread(seed: int, n: int, d: int, dtype: torch.dtype) -> torch.Tensor:
    """n points of very different scales (1e-3 … 1e3): cancellation in the expansion shows."""
    gen = torch.Generator().manual_seed(seed)
    scales = 10.0 ** torch.linspace(-3, 3, n, dtype=torch.float64)[:, None]
    return (torch.randn(n, d, generator=gen, dtype=torch.float64) * scales).to(dtype)


@pytest.mark.points(2)
@given(points=point_sets(shared=True))
@example(points=(torch.tensor([[-6.7, -5.8, 5.7]]), torch.tensor([[-6.7, -5.8, 5.7]])))  # expansion: -1.5e-05
@example(points=(torch.tensor([[6.0, -2.7, 8.3]], dtype=torch.float64),) * 2)  # expansion: -2.8e-14
@example(points=(spread(14, 12, 8, torch.float32), spread(14, 12, 8, torch.float32)))
@example(points=(spread(15, 12, 8, torch.float64), spread(15, 12, 8, torch.float64).flip(0)))
def test_never_negative_at_equal_points(points: tuple[torch.Tensor, torch.Tensor]) -> None:
    """When b holds rows of a, the distance of equal points is 0 within the bound and nothing is negative."""
    a, b = points
    out = expect_distances(a, b, HELP_CLAMP)
    negative = (out.detach().double() < 0).nonzero()
    if len(negative):
        i, j = negative[0].tolist()
        raise Failure(T(ja=f"out[{i}, {j}] = {out[i, j].item()!r} が負です（二乗距離は決して負になりません）",
                        en=f"out[{i}, {j}] = {out[i, j].item()!r} is negative (a squared distance never is)"),
                      HELP_CLAMP, counterexample=describe(a, b))


@pytest.mark.points(1)
@pytest.mark.parametrize("dtype", [torch.float32, torch.float64], ids=["float32", "float64"])
def test_equal_points_at_the_origin(dtype: torch.dtype) -> None:
    """Points at the origin: their distance is exactly 0 (the bound there is the smallest normal only)."""
    a = torch.tensor([[0.0, 0.0, 0.0], [1.0, -2.0, 0.5]], dtype=dtype)
    expect_distances(a, torch.tensor([[0.0, 0.0, 0.0]], dtype=dtype), HELP_CLAMP)


EMPTY = {"N0": ((0, 3), (4, 3)), "M0": ((2, 3), (0, 3)), "both": ((0, 2), (0, 2))}


@pytest.mark.points(1)
@pytest.mark.parametrize("case", list(EMPTY))
def test_empty_inputs_give_empty_result(case: str) -> None:
    """N = 0 or M = 0 gives an empty (N, M) tensor of the inputs' dtype (no error)."""
    (n, d), (m, _) = EMPTY[case]
    expect_distances(torch.zeros(n, d, dtype=torch.float64), torch.ones(m, d, dtype=torch.float64),
                     T(ja="空の入力でも a[:, None] − b[None] や行列積はそのまま空の (N, M) になります。"
                          "max() のような空で失敗する演算や特別扱いは要りません",
                       en="with empty inputs a[:, None] − b[None] and matrix products simply give an empty (N, M); "
                          "no special case, and no max() that fails on empty tensors"))


BAD_SHAPES = {
    "D_3_vs_2": ((4, 3), (5, 2)),
    "D_1_vs_3": ((4, 1), (5, 3)),  # broadcasts silently without a check
    "one_dimensional": ((3,), (3,)),
    "three_dimensional": ((1, 4, 2), (5, 2)),
}


@pytest.mark.points(1)
@pytest.mark.parametrize("case", list(BAD_SHAPES))
def test_bad_shapes_raise_value_error(case: str) -> None:
    """Different D (even D = 1 against D = 3, which would broadcast) or inputs that are not 2-D raise ValueError."""
    shape_a, shape_b = BAD_SHAPES[case]
    expect_raises(ValueError, ex.pairwise_sq_distances, torch.ones(shape_a), torch.ones(shape_b),
                  what=T(ja=f"形 {shape_a} の a と形 {shape_b} の b", en=f"a of shape {shape_a} and b of shape {shape_b}"),
                  help=T(ja="先に a.dim() == 2、b.dim() == 2、a.shape[1] == b.shape[1] を確かめて raise ValueError(...)。"
                            "(N, 1) は (M, D) と黙ってブロードキャストされ、行列積は RuntimeError を出します",
                         en="check a.dim() == 2, b.dim() == 2 and a.shape[1] == b.shape[1] first and raise "
                            "ValueError(...): an (N, 1) broadcasts silently against (M, D), and a matrix product "
                            "raises RuntimeError"))


# --------------------------------------------------------------------------- gradients, efficiency, devices

@pytest.mark.points(2)
@settings(max_examples=20)
@given(n=st.integers(1, 5), m=st.integers(1, 5), d=st.integers(1, 4), seed=draw.seeds())
def test_gradients_are_correct(n: int, m: int, d: int, seed: int) -> None:
    """In float64, the gradients w.r.t. a and b equal those of Σ_d (a_id − b_jd)² (2(a_i − b_j) per pair)."""
    gen = torch.Generator().manual_seed(seed)
    a = torch.randn(n, d, generator=gen, dtype=torch.float64)
    b = torch.randn(m, d, generator=gen, dtype=torch.float64)
    expect_gradients_match(ex.pairwise_sq_distances, lambda x, y: ((x[:, None] - y[None]) ** 2).sum(-1), a, b,
                           what=T(ja="a と b の勾配", en="the gradients w.r.t. a and b"), example=describe(a, b),
                           help=T(ja="detach() や numpy を通すと勾配が切れたり欠けたりします。‖a‖² や ‖b‖² も a と b の関数です",
                                  en="detach() or numpy cut or drop gradients; ‖a‖² and ‖b‖² are functions of "
                                     "a and b too"))


def points(rows: int, d: int = 3, seed: int = 0) -> torch.Tensor:
    return torch.randn(rows, d, generator=torch.Generator().manual_seed(seed + rows))


@pytest.mark.points(3)
@pytest.mark.parametrize("grow", ["N", "M"])
def test_vectorised_over_rows(grow: str) -> None:
    """The result is right and the number of tensor operations stays the same from 2 to 16 rows of a (or of b)."""
    make = (lambda k: (points(k), points(4, seed=1))) if grow == "N" else (lambda k: (points(4, seed=1), points(k)))
    for size in (2, 16):
        expect_distances(*make(size))
    expect_vectorised(ex.pairwise_sq_distances, make,
                      what=T(ja=f"pairwise_sq_distances（{grow} を増やす）", en=f"pairwise_sq_distances (growing {grow})"),
                      help=T(ja="for で 1 行ずつ計算する代わりに、a[:, None] − b[None] のブロードキャストや a @ b.T で"
                                "全ペアを一度に計算します",
                             en="instead of a for loop over rows, compute every pair at once with the broadcast "
                                "a[:, None] − b[None] or with a @ b.T"))


@pytest.mark.points(1)
@pytest.mark.parametrize("dtype", [torch.float32, torch.float64], ids=["float32", "float64"])
def test_stays_on_the_inputs_device(dtype: torch.dtype) -> None:
    """With a and b on a GPU (simulated), the result is made there and no operation mixes devices."""
    expect_stays_on_device(ex.pairwise_sq_distances, points(3).to(dtype), points(4).to(dtype), what=RESULT,
                           example=T(ja=f"a = torch.randn(3, 3), b = torch.randn(4, 3), {dtype}, どちらも GPU 上",
                                     en=f"a = torch.randn(3, 3), b = torch.randn(4, 3), {dtype}, both on a GPU"))


@pytest.mark.points(1)
@on_every_device
def test_same_values_on_device(device: torch.device) -> None:
    """On every available device the result stays on it and equals the exact distances."""
    a, b = points(5, 4), points(3, 4)
    example = T(ja=f"a = torch.randn(5, 4), b = torch.randn(3, 4), どちらも {device.type} 上",
                en=f"a = torch.randn(5, 4), b = torch.randn(3, 4), both on {device.type}")

    def on_device(x: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
        out = expect_tensor(ex.pairwise_sq_distances(x.to(device), y.to(device)), RESULT, counterexample=example)
        expect(out.device.type == device.type, T(ja=f"結果が {out.device} 上にあります（入力は {device.type} 上）",
                                                  en=f"the result is on {out.device}, the inputs on {device.type}"),
               counterexample=example)
        return out.cpu()

    loose = device.type != "cpu"  # TF32 and other reduction orders on accelerators
    expect_matches(on_device, exact, a, b, what=RESULT, help=HELP, example=example, rtol=1e-3 if loose else 0.0,
                   atol=bound(a, b) + (1e-4 if loose else 0.0))
