"""Checks for exercise 16: `clip_grad_norm(parameters, max_norm, norm_type=2.0)`.

Contract: the same behaviour as `torch.nn.utils.clip_grad_norm_` with its defaults, without
calling it: the norm of all gradients taken as one vector (None grads skipped; a generator read
once; a single tensor accepted; norm types 1, 2, 3 and inf), every gradient scaled in place by
max_norm / (total + 1e-6) when the total exceeds max_norm, the total before clipping returned as
a 0-d tensor, `tensor(0.)` when there is no gradient, parameters never changed.

Decisions where the contract is silent:
- The oracle is torch's own `clip_grad_norm_`, captured when this module is imported, run on an
  identical copy of the parameters. Totals and gradients are compared at the tolerance of the
  gradients' dtype (float32 or float64, one dtype per list): the norm of the per-tensor norms,
  one concatenated vector, numpy in float64 or a hand-written sum all pass.
- max_norm is drawn as a ratio of the true total, away from 1: ≤ 0.9 (clipping), or ≥ 1.5 plus
  1e-5. Torch multiplies by min(1, max_norm / (total + 1e-6)) and so also scales when the total is
  within 1e-6 below max_norm, where the contract says "only when it exceeds": both readings are
  accepted (that band is never drawn); so is always multiplying by a factor clamped to 1.
- A parameter without a gradient still has requires_grad=True (a layer the loss did not reach): skipping
  by `p.grad is None` is what counts, not by requires_grad.
- Gradients are drawn as small as 1e-5 in size, where the 1e-6 matters; they are finite (inf/NaN
  gradients are not graded), on the CPU (the device of the result is not graded).
- "Without calling it": every call of the learner's function is watched (a profile hook sees the
  code objects of torch's clip_grad_norm_, clip_grad_norm, clip_grads_with_norm_ and
  get_total_norm, however they were imported); a call fails the check, whatever the result.
  torch.linalg.vector_norm, Tensor.norm and the torch._foreach_* kernels are allowed.
- The total's dtype is the gradients' (as torch's); its value is also checked apart from its
  type, so returning a Python float costs only the type check. "In place" is checked by identity:
  the gradient tensors held before the call are the ones scaled (`p.grad = p.grad * c` fails).
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, Self

import numpy as np
import pytest
import torch
from hypothesis import example, given
from hypothesis import strategies as st

from checks import strategies as draw
from checks.compare import (
    expect_close,
    expect_dtype,
    expect_equal_arrays,
    expect_shape,
    expect_tensor,
)
from checks.feedback import Failure, T, expect
from checks.submission import student

ex = student("ex16_clip_grad_norm")

_clip_grad = sys.modules["torch.nn.utils.clip_grad"]
_torch_clip = _clip_grad.clip_grad_norm_  # the oracle, captured before any student code runs
_FORBIDDEN = {getattr(f, "__wrapped__", f).__code__: name for f, name in (
    (_clip_grad.clip_grad_norm_, "clip_grad_norm_"), (_clip_grad.clip_grad_norm, "clip_grad_norm"),
    (_clip_grad._clip_grads_with_norm_, "clip_grads_with_norm_"), (_clip_grad._get_total_norm, "get_total_norm"))}
_setprofile, _getprofile = sys.setprofile, sys.getprofile
INF = float("inf")

TOTAL = T(ja="clip_grad_norm が返した全体ノルム", en="the total norm clip_grad_norm returned")
GRADS = T(ja="クリップ後の勾配", en="the gradients after clipping")
HELP_NORM = T(ja="全勾配を 1 本のベクトルとみなしたノルムです: (Σ|g|^p)^(1/p)、inf なら max|g|。"
                 "各勾配のノルムを並べたベクトルの p ノルムと同じです",
              en="the norm of all gradients seen as one vector: (Σ|g|^p)^(1/p), max|g| for inf; it equals "
                 "the p-norm of the vector of per-gradient norms")
HELP_CLIP = T(ja="total > max_norm のときだけ、すべての勾配に同じ係数 max_norm / (total + 1e-6) を g.mul_(...) で"
                 "かけます（パラメータごとに別の係数にしない）",
              en="only when total > max_norm, multiply every gradient by the same factor max_norm / (total + 1e-6) "
                 "with g.mul_(...) (not a separate factor per parameter)")


@dataclass
class Case:
    """Parameters (values from `seed`) whose gradients are `grads` (None: no gradient)."""

    grads: list[np.ndarray | None]
    dtype: torch.dtype
    seed: int
    max_norm: float
    norm_type: float

    def parameters(self) -> list[torch.Tensor]:
        g = torch.Generator().manual_seed(self.seed)
        params = []
        for grad in self.grads:
            shape = grad.shape if grad is not None else (2,)
            p = torch.randn(shape, generator=g, dtype=torch.float64).to(self.dtype).requires_grad_()  # grad None too
            if grad is not None:
                p.grad = torch.from_numpy(grad.copy()).to(self.dtype)
            params.append(p)
        return params

    def _repr_pretty_(self, printer: Any, cycle: bool) -> None:  # hypothesis' counter-example
        printer.text(repr(self))

    def __repr__(self) -> str:
        shown = ", ".join("None" if g is None else f"tensor({np.array2string(g, precision=4, separator=', ')})"
                          for g in self.grads)
        return (f"grads=[{shown}] ({str(self.dtype).removeprefix('torch.')}), max_norm={self.max_norm!r}, "
                f"norm_type={self.norm_type!r}")


@st.composite
def cases(draw_: st.DrawFn, ratios: tuple[float, float] = (0.05, 0.9), norm_types: tuple[float, ...] = (2.0,),
          nones: bool = True, min_size: int = 1) -> Case:
    """1–4 parameters of shapes up to 3-D (0-D included), some without a gradient; max_norm is
    `ratio` times the true total (so the case clips, or not, by design)."""
    dtype = draw_(draw.float_dtypes())
    np_dtype = np.float32 if dtype == torch.float32 else np.float64
    scale = draw_(st.sampled_from([1.0, 1e-6, 1e-3, 100.0]))
    n = draw_(st.integers(min_size, 4))
    grads: list[np.ndarray | None] = []
    for _ in range(n):
        shape = draw_(draw.shapes(min_dims=0, max_dims=3, max_side=4))
        has_grad = draw_(st.booleans()) if nones else True
        grads.append(np.asarray(draw_(draw.float_arrays(shape, np_dtype, 10.0)) * scale, dtype=np_dtype) if has_grad else None)
    if not any(g is not None for g in grads):
        grads.append(np.asarray(draw_(draw.float_arrays((3,), np_dtype, 10.0)) * scale, dtype=np_dtype))
    norm_type = draw_(st.sampled_from(norm_types))
    present = [torch.from_numpy(g).double() for g in grads if g is not None]
    total = float(torch.linalg.vector_norm(torch.stack([torch.linalg.vector_norm(g, norm_type) for g in present]),
                                           norm_type))
    ratio = draw_(st.floats(*ratios))
    max_norm = total * ratio + (1e-5 if ratio > 1 else 0.0)  # above the band where torch scales anyway
    return Case(grads, dtype, draw_(st.integers(0, 1000)), max_norm, norm_type)


class _TorchClipWatch:
    """While active, records every call of torch's clipping functions (by their code objects)."""

    def __enter__(self) -> Self:
        self.called: list[str] = []
        self.previous = _getprofile()
        _setprofile(self._see)
        return self

    def _see(self, frame: Any, event: str, arg: Any) -> None:
        if event == "call" and frame.f_code in _FORBIDDEN:
            self.called.append(_FORBIDDEN[frame.f_code])

    def __exit__(self, *exc: object) -> None:
        _setprofile(self.previous)


def clip(parameters: Any, case: Case) -> Any:
    """The learner's clip_grad_norm, failing if it called torch's own clipping functions."""
    with _TorchClipWatch() as watch:
        total = ex.clip_grad_norm(parameters, case.max_norm, case.norm_type)
    if watch.called:
        raise Failure(T(ja=f"torch の {watch.called[0]} が呼ばれました。この課題では使えません",
                        en=f"torch's {watch.called[0]} was called, which this exercise rules out"),
                      T(ja="全体ノルムとクリップを自分で計算します（torch.linalg.vector_norm や g.mul_ は使えます）",
                        en="compute the total norm and the clipping yourself (torch.linalg.vector_norm and g.mul_ "
                           "are fine)"))
    return total


def expect_like_torch(params: list[torch.Tensor], total: Any, case: Case, help: T | None = None) -> None:
    """The returned total and every gradient equal what torch's clip_grad_norm_ gives."""
    oracle = case.parameters()
    expected = _torch_clip(oracle, case.max_norm, case.norm_type)
    expect_close(total, expected, TOTAL, help or HELP_NORM)
    for i, (p, q) in enumerate(zip(params, oracle)):
        what = T(ja=f"{GRADS.ja}（parameters[{i}].grad）", en=f"{GRADS.en} (parameters[{i}].grad)")
        if q.grad is None:
            expect(p.grad is None, T(ja=f"{what.ja}: 勾配のなかったパラメータに .grad が作られました",
                                     en=f"{what.en}: a parameter without a gradient was given a .grad"),
                   T(ja=".grad が None のパラメータは飛ばし、そのままにします", en="skip parameters whose .grad is None"))
        else:
            expect_close(expect_tensor(p.grad, what), q.grad, what, help or HELP_CLIP)


@pytest.mark.points(2)
@given(case=cases(ratios=(1.5, 100.0), nones=False))
def test_returns_the_global_norm(case: Case) -> None:
    """The result is the 2-norm of all gradients taken as one vector (nothing to clip here)."""
    params = case.parameters()
    expect_like_torch(params, clip(params, case), case)


@pytest.mark.points(2)
@given(case=cases(norm_types=(1.0, 2.0, 3.0, INF), nones=False))
@example(case=Case([np.array([-3.0, 1.0]), np.array([[-2.0]])], torch.float64, 0, 1.0, 1.0))
@example(case=Case([np.array([-3.0, 1.0]), np.array([[-2.0]])], torch.float64, 0, 1.0, INF))
def test_every_norm_type(case: Case) -> None:
    """norm_type 1, 2, 3 and inf: the right total, and the gradients clipped with it."""
    params = case.parameters()
    expect_like_torch(params, clip(params, case), case)


@pytest.mark.points(2)
@given(case=cases())
@example(case=Case([np.array([4e-6, -3e-6])], torch.float64, 0, 2.5e-6, 2.0))
def test_clips_to_max_norm(case: Case) -> None:
    """When the total exceeds max_norm, every gradient is multiplied by max_norm / (total + 1e-6)
    (the 1e-6 shows on gradients as small as 1e-6); parameters without a gradient are skipped."""
    params = case.parameters()
    expect_like_torch(params, clip(params, case), case)


@pytest.mark.points(1)
@given(case=cases(ratios=(1.5, 100.0)))
def test_small_gradients_are_left_alone(case: Case) -> None:
    """When the total is below max_norm, the gradients keep their values (no scaling up)."""
    params = case.parameters()
    clip(params, case)
    for i, (p, grad) in enumerate(zip(params, case.grads)):
        if grad is not None:
            expect_close(expect_tensor(p.grad, GRADS), torch.from_numpy(grad).to(case.dtype),
                         T(ja=f"{GRADS.ja}（parameters[{i}].grad）", en=f"{GRADS.en} (parameters[{i}].grad)"),
                         T(ja="total <= max_norm なら何もしません（係数は 1 を超えません）",
                           en="when total <= max_norm nothing changes (the factor never exceeds 1)"))


@pytest.mark.points(1)
@given(case=cases())
def test_a_generator_is_read_once(case: Case) -> None:
    """A generator of parameters (like model.parameters()) is measured and clipped: read it once."""
    params = case.parameters()
    expect_like_torch(params, clip((p for p in params), case), case,
                      T(ja="parameters がジェネレータのときは (p for p in params) の形で渡しています。ジェネレータは 1 度しか"
                           "読めないので、最初に list(parameters) にしてから使います",
                        en="parameters is passed as a generator, (p for p in params) here, which can be read only once: "
                           "make it a list first, then use the list"))


@pytest.mark.points(1)
@given(case=cases(nones=False, min_size=1).filter(lambda c: c.grads[0].ndim >= 1).map(
    lambda c: Case(c.grads[:1], c.dtype, c.seed, float(np.linalg.norm(c.grads[0].astype(np.float64).ravel())) / 2,
                   2.0)))
def test_a_single_tensor(case: Case) -> None:
    """A single tensor (not in a list) is accepted: its own gradient is measured and clipped."""
    params = case.parameters()
    expect_like_torch(params, clip(params[0], case), case,
                      T(ja="ここではテンソル 1 つをリストに入れずに渡しています。isinstance(parameters, torch.Tensor) なら "
                           "[parameters] として扱います（list(テンソル) は行ごとに分解してしまいます）",
                        en="a single tensor is passed here, not in a list: if isinstance(parameters, torch.Tensor), use "
                           "[parameters] (list(a_tensor) splits it into its rows)"))


def _no_gradients() -> Iterator[tuple[str, Any]]:
    yield "[]", []
    yield "iter([])", iter([])
    yield "[p]  # p.grad is None", [torch.zeros(3, requires_grad=True)]


@pytest.mark.points(1)
def test_no_gradient_gives_zero() -> None:
    """With no gradient at all (empty list, empty iterator, only None grads): tensor(0.)."""
    for shown, parameters in _no_gradients():
        case = Case([], torch.float32, 0, 1.0, 2.0)
        total = expect_tensor(clip(parameters, case), TOTAL, counterexample=f"clip_grad_norm({shown}, 1.0)")
        expect_shape(total, (), TOTAL, counterexample=shown)
        expect_dtype(total, torch.float32, TOTAL, counterexample=shown)
        expect_close(total, torch.tensor(0.0), TOTAL, counterexample=shown,
                     help=T(ja="勾配が 1 つもなければ torch.stack などの前に torch.tensor(0.) を返します",
                            en="with no gradient, return torch.tensor(0.) before torch.stack and the like"))


@pytest.mark.points(1)
@given(case=cases(norm_types=(1.0, 2.0, INF)))
def test_total_is_a_0d_tensor_of_the_gradients_dtype(case: Case) -> None:
    """The total is returned as a 0-d torch.Tensor with the gradients' dtype (float64 stays float64)."""
    params = case.parameters()
    total = expect_tensor(clip(params, case), TOTAL, T(ja=".item() や float() にせず、テンソルのまま返します",
                                                       en="return the tensor, not .item() or float()"))
    keep = T(ja="torch.linalg.vector_norm などテンソルの演算で計算すれば、形は ()、dtype は勾配と同じになります",
             en="computed with tensor operations (torch.linalg.vector_norm ...), it has shape () and the gradients' dtype")
    expect_shape(total, (), TOTAL, keep)
    expect_dtype(total, case.dtype, TOTAL, keep)


@pytest.mark.points(1)
@given(case=cases())
def test_parameters_are_unchanged(case: Case) -> None:
    """Only the gradients are scaled: the parameters' values stay exactly as they were."""
    params = case.parameters()
    before = [p.detach().clone() for p in params]
    clip(params, case)
    for i, (p, b) in enumerate(zip(params, before)):
        expect_equal_arrays(p, b, T(ja=f"parameters[{i}] の値", en=f"the values of parameters[{i}]"),
                            T(ja="縮めるのは p.grad です。p.mul_ や p.data.mul_ はパラメータ自体を変えます",
                              en="scale p.grad; p.mul_ and p.data.mul_ change the parameter itself"))


@pytest.mark.points(1)
@given(case=cases(nones=False))
def test_gradients_are_scaled_in_place(case: Case) -> None:
    """The gradient tensors held before the call are the ones scaled (in place, as torch does)."""
    params = case.parameters()
    held = [p.grad for p in params]
    clip(params, case)
    oracle = case.parameters()
    _torch_clip(oracle, case.max_norm, case.norm_type)
    for i, (p, g, q) in enumerate(zip(params, held, oracle)):
        expect(p.grad is g, T(ja=f"parameters[{i}].grad が別のテンソルに置き換えられました",
                              en=f"parameters[{i}].grad was replaced by another tensor"),
               T(ja="p.grad = p.grad * c ではなく p.grad.mul_(c) でその場で縮めます",
                 en="scale in place with p.grad.mul_(c), not p.grad = p.grad * c"))
        expect_close(g, q.grad, GRADS, HELP_CLIP)
