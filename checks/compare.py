"""Comparisons that a submission cannot subvert, with tolerances derived from dtype.

The functions used to compare are captured when this module is imported, which happens
when the check module is collected: before any student code runs. A submission that
monkeypatches `torch.allclose` or `numpy.isclose` afterwards changes nothing here.
Student values are converted to plain numpy arrays of exact built-in types before
comparing, so an object whose `__eq__` is always True, or a tensor subclass that lies in
`__torch_function__`, is rejected instead of believed.

    expect_close(student_out, F.silu(x), what=T(ja="swish(x)", en="swish(x)"))
"""

from __future__ import annotations

import os
import sys
from typing import Any

import numpy as np

from checks.feedback import Failure, Mismatch, T, particle, show

# A worker that grades Keras exercises only never imports torch (a second ~1 s import, and a
# larger heap for every check process it forks): there no value is a torch tensor, and one
# a submission builds is refused like any other foreign type.
_WITH_TORCH = "torch" in sys.modules or os.environ.get("GRADE_WITHOUT_TORCH") != "1"
if _WITH_TORCH:
    import torch

# Captured before student code is imported (see module docstring).
_np_array = np.array
_np_isfinite = np.isfinite
_np_isnan = np.isnan
_np_abs = np.abs
_np_argmax = np.argmax
_np_unravel = np.unravel_index
_np_all = np.all
_np_array_equal = np.array_equal
_np_ndarray = np.ndarray
_np_generic = np.generic
_np_promote = np.promote_types
if _WITH_TORCH:
    _detach = torch.Tensor.detach
    _to_cpu = torch.Tensor.cpu
    _to_numpy = torch.Tensor.numpy
    _float = torch.Tensor.float
    _TENSOR_TYPES: tuple[type, ...] = (torch.Tensor, torch.nn.Parameter)
else:
    _TENSOR_TYPES = ()
_PLAIN_SCALARS = (bool, int, float)

# (rtol, atol) by the precision of the values compared: float64 is held to float64's
# accuracy, float32 to what float32 arithmetic in a different order can reach.
TOLERANCES: dict[str, tuple[float, float]] = {
    "float64": (1e-7, 1e-9),
    "float32": (1e-4, 1e-5),
    "float16": (1e-2, 1e-3),
    "bfloat16": (2e-2, 1e-2),
}


def tolerance_for(*dtypes: Any) -> tuple[float, float]:
    """The loosest tolerance among the dtypes given (the least precise value decides)."""
    names = [str(d).removeprefix("torch.") for d in dtypes]
    order = ["bfloat16", "float16", "float32", "float64"]
    for name in order:
        if name in names:
            return TOLERANCES[name]
    return TOLERANCES["float32"]


def as_numpy(value: Any, what: T) -> np.ndarray:
    """A plain numpy copy of a student value: a tensor (of exactly `torch.Tensor`), a numpy
    array, a Python number or a (nested) list of numbers. Anything else fails the check."""
    kind = type(value)
    if kind in _TENSOR_TYPES:
        t = _to_cpu(_detach(value))
        if str(t.dtype) == "torch.bfloat16":
            t = _float(t)
        return _np_array(_to_numpy(t), copy=True)
    if kind is _np_ndarray or isinstance(value, _np_generic):
        return _np_array(value, copy=True)
    if kind in _PLAIN_SCALARS:
        return _np_array(value)
    if kind in (list, tuple):
        return _np_array([as_numpy(v, what) for v in value])
    raise Failure(
        T(
            ja=f"{what.ja}: テンソルか配列を期待しましたが {kind.__module__}.{kind.__qualname__} が返されました",
            en=f"{what.en}: expected a tensor or an array, got {kind.__module__}.{kind.__qualname__}",
        ),
        T(ja="torch.Tensor（またはそのまま numpy 配列）を返してください",
          en="return a plain torch.Tensor (or numpy array)"),
    )


def expect_tensor(value: Any, what: T, help: T | None = None, *, counterexample: Any = None) -> torch.Tensor:
    """Fail unless `value` is a plain `torch.Tensor` (not a subclass, not an array).

        lengths = expect_tensor(out[1], T(ja="lengths", en="lengths"), counterexample=example)
    """
    if type(value) not in _TENSOR_TYPES:
        raise Failure(
            T(ja=f"{what.ja}: torch.Tensor を期待しましたが {type(value).__qualname__} でした",
              en=f"{what.en}: expected a torch.Tensor, got {type(value).__qualname__}"),
            help or T(ja="torch.tensor / torch.from_numpy で Tensor に変換します",
                      en="convert with torch.tensor / torch.from_numpy"),
            counterexample=counterexample,
        )
    return value


def expect_shape(value: Any, shape: tuple[int, ...], what: T, help: T | None = None, *, counterexample: Any = None) -> None:
    actual = tuple(as_numpy(value, what).shape) if type(value) not in _TENSOR_TYPES else tuple(value.shape)
    if actual != tuple(shape):
        raise Mismatch(f"shape {tuple(shape)}", f"shape {actual}", help,
                       what=T(ja=f"{particle(what.ja)}の形", en=f"the shape of {what.en}"), counterexample=counterexample)


def expect_dtype(value: Any, dtype: Any, what: T, help: T | None = None, *, counterexample: Any = None) -> None:
    actual = getattr(value, "dtype", type(value).__name__)
    if str(actual) != str(dtype):
        raise Mismatch(str(dtype), str(actual), help,
                       what=T(ja=f"{particle(what.ja)}の dtype", en=f"the dtype of {what.en}"), counterexample=counterexample)


def expect_finite(value: Any, what: T, help: T | None = None, *, counterexample: Any = None) -> None:
    arr = as_numpy(value, what)
    if arr.dtype.kind in "fc" and not bool(_np_all(_np_isfinite(arr))):
        raise Failure(
            T(ja=f"{what.ja} に NaN または inf が含まれています: {show(arr)}",
              en=f"{what.en} contains NaN or inf: {show(arr)}"),
            help,
            counterexample=counterexample,
        )


def expect_close(
    actual: Any,
    expected: Any,
    what: T,
    help: T | None = None,
    *,
    rtol: float | None = None,
    atol: float | np.ndarray | None = None,
    counterexample: Any = None,
) -> None:
    """Fail unless `actual` matches `expected` elementwise (shape first, then values).

    Tolerances default to those of the less precise dtype of the two (`TOLERANCES`);
    NaN must match NaN at the same place. The message names the worst element. `atol` may be
    an array that broadcasts against `expected`, e.g. one tolerance per feature (column):

        expect_close(features, expected, what, rtol=1e-4, atol=np.array([1e-5, 3e-5]))
    """
    a = as_numpy(actual, what)
    e = as_numpy(expected, what)
    if a.shape != e.shape:
        raise Mismatch(f"shape {e.shape}", f"shape {a.shape}", help,
                       what=T(ja=f"{particle(what.ja)}の形", en=f"the shape of {what.en}"), counterexample=counterexample)
    if a.dtype.kind not in "biufc":
        raise Failure(T(ja=f"{what.ja}: 数値ではありません ({a.dtype})", en=f"{what.en}: not numeric ({a.dtype})"), help)
    default_rtol, default_atol = tolerance_for(getattr(actual, "dtype", a.dtype), getattr(expected, "dtype", e.dtype))
    rtol = default_rtol if rtol is None else rtol
    atol = default_atol if atol is None else atol
    a64 = a.astype(np.float64) if a.dtype.kind != "c" else a.astype(np.complex128)
    e64 = e.astype(np.float64) if e.dtype.kind != "c" else e.astype(np.complex128)
    nan_a, nan_e = _np_isnan(a64), _np_isnan(e64)
    with np.errstate(invalid="ignore"):
        err = _np_abs(a64 - e64)
        bound = atol + rtol * _np_abs(e64)
        bad = (err > bound) | (nan_a != nan_e) | (_np_isfinite(a64) != _np_isfinite(e64))
        bad &= ~(nan_a & nan_e)
        bad &= ~((a64 == e64) & ~_np_isfinite(e64))  # same infinity
    if a.size and bool(bad.any()):
        score = np.where(bad, np.nan_to_num(err - bound, nan=np.inf, posinf=np.inf) + 1.0, 0.0)
        idx = _np_unravel(int(_np_argmax(score)), a.shape) if a.ndim else ()
        where = f" [{', '.join(map(str, idx))}]" if idx else ""
        n_bad = int(bad.sum())
        right, got = _distinct(e64[idx], a64[idx])
        example = f"例えば{where}: " if where else ""
        raise Mismatch(
            f"{show(e)}  (rtol={rtol:g}, atol={_tolerance(atol)})",
            f"{show(a)}",
            help,
            rationale=T(
                ja=f"{particle(what.ja)}が {n_bad}/{a.size} 個の要素で違います（{example}正しくは {right}、実際は {got}）",
                en=f"{what.en}: {n_bad} of {a.size} elements differ (e.g.{where}: expected {right}, got {got})"
                   if where else f"{what.en} differs (expected {right}, got {got})",
            ),
            counterexample=counterexample,
        )


def _tolerance(atol: float | np.ndarray) -> str:
    """A tolerance as shown: 1e-05, or [1e-05, 3e-05] for an array of them."""
    if isinstance(atol, _np_ndarray) and atol.ndim:
        return "[" + ", ".join(f"{float(v):g}" for v in atol.ravel()) + "]"
    return f"{atol:g}"


def _distinct(expected: Any, actual: Any) -> tuple[str, str]:
    """Two numbers as a learner writes them (1.5, not np.float64(1.5)), rounded to the fewest
    significant digits (6 at least) that still tell them apart: 0.287772 and -0.0, not
    0.28777172645142457."""
    try:
        e, a = float(expected), float(actual)
    except (TypeError, ValueError):
        return str(expected), str(actual)
    for digits in range(6, 18):
        right, got = _round(e, digits), _round(a, digits)
        if right != got or e == a:
            return right, got
    return repr(e), repr(a)


def _round(value: float, digits: int) -> str:
    text = f"{value:.{digits}g}"
    return text if ("e" in text or "." in text or text in ("nan", "inf", "-inf")) else text + ".0"


def expect_equal_arrays(actual: Any, expected: Any, what: T, help: T | None = None, *, counterexample: Any = None) -> None:
    """Exact (bitwise) equality of values and shape, for integer data or bitwise-resume checks."""
    a = as_numpy(actual, what)
    e = as_numpy(expected, what)
    if a.shape != e.shape or not bool(_np_array_equal(a, e)):
        raise Mismatch(show(e), show(a), help, what=what, counterexample=counterexample)
