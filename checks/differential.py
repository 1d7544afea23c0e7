"""Compare the learner's function with an oracle on the same inputs: one sentence per check.

The oracle is written in the check module (plain torch/numpy, or torch's own function):
never the kit's reference solution, which is not shipped to learners or to Gradescope.

    from checks.differential import expect_matches

    @given(batch=tensor_lists())
    def test_pads_like_the_oracle(batch):
        expect_matches(ex.pad_collate, oracle_pad_collate, pairs(batch),
                       what=T(ja="pad_collate の戻り値", en="what pad_collate returns"))

Both functions get their own deep copies of the arguments, so an in-place change by one
cannot reach the other, and a learner's call that modifies a tensor argument fails the
check ("inputs are not modified" is part of every contract here). Outputs are compared
structurally: a tuple or list element by element (either kind is accepted where the
other is expected: both unpack the same), a dict key by key, a tensor by type, shape,
dtype, device and then values (floating point within the dtype's tolerance from
`checks.compare`, integers and bools exactly), a Python number by type and value. The
message names the first element that differs, e.g. `[1]` for the second returned value.
"""

from __future__ import annotations

import copy
from typing import Any, Callable

import numpy as np
import torch

from checks.compare import expect_close, expect_equal_arrays, expect_tensor
from checks.feedback import Failure, Mismatch, T, show, showing

_Tensor = torch.Tensor
_ndarray = np.ndarray
_clone = torch.Tensor.clone
_detach = torch.Tensor.detach
_equal = torch.equal
_isnan = torch.isnan
_SEQUENCES = (list, tuple)

UNMODIFIED_HELP = T(
    ja="入力を書き換えないでください。in-place 演算（add_、[...] = 、copy_）は新しいテンソル（clone() など）に対して行います",
    en="do not modify the inputs: apply in-place operations (add_, [...] =, copy_) to a new tensor (clone() first)",
)


def expect_matches(student: Callable[..., Any], oracle: Callable[..., Any], *args: Any, what: T,
                   help: T | None = None, example: str | T | None = None, rtol: float | None = None,
                   atol: float | None = None, **kwargs: Any) -> Any:
    """The learner's `student(*args, **kwargs)` must return what `oracle` returns for the
    same arguments, and must leave its arguments unchanged. Returns the learner's output.

        out = expect_matches(ex.pairwise_sq_distances, oracle, a, b, what=T(ja="距離", en="the distances"),
                             atol=bound)
    """
    expected = oracle(*snapshot(args), **snapshot(kwargs))
    given_args, given_kwargs = snapshot(args), snapshot(kwargs)
    with showing(example):
        actual = student(*given_args, **given_kwargs)
    _expect_same_inputs((given_args, given_kwargs), (args, kwargs), what, example)
    expect_same_structure(actual, expected, what, help, example=example, rtol=rtol, atol=atol)
    return actual


def expect_unmodified(fn: Callable[..., Any], *args: Any, what: T, help: T | None = None,
                      example: str | T | None = None, **kwargs: Any) -> Any:
    """Call `fn(*args, **kwargs)`; fail if it changed a tensor or array among its arguments
    (at any depth of lists, tuples and dicts). Returns what `fn` returned.

        expect_unmodified(ex.pad_collate, batch, what=T(ja="pad_collate", en="pad_collate"))
    """
    before = snapshot((args, kwargs))
    with showing(example):
        result = fn(*args, **kwargs)
    _expect_same_inputs((args, kwargs), before, what, example, help)
    return result


def snapshot(value: Any) -> Any:
    """A deep copy: tensors cloned (keeping `requires_grad`), arrays copied, containers rebuilt."""
    if isinstance(value, _Tensor):
        return _clone(_detach(value)).requires_grad_(value.requires_grad) if value.is_leaf or not \
            value.requires_grad else _clone(value)
    if isinstance(value, _ndarray):
        return value.copy()
    if type(value) in _SEQUENCES:
        return type(value)(snapshot(v) for v in value)
    if type(value) is dict:
        return {k: snapshot(v) for k, v in value.items()}
    try:
        return copy.deepcopy(value)
    except Exception:  # a module or generator that cannot be copied is shared, as given
        return value


def expect_same_structure(actual: Any, expected: Any, what: T, help: T | None = None, *, path: str = "",
                          example: str | T | None = None, rtol: float | None = None,
                          atol: float | None = None) -> None:
    """Compare `actual` with `expected` element by element (see the module docstring)."""
    here = T(ja=f"{what.ja}{path}", en=f"{what.en}{path}")
    if isinstance(expected, (_Tensor, _ndarray)):
        return _expect_same_array(actual, expected, here, help, example, rtol, atol)
    if type(expected) in _SEQUENCES:
        items = _items(actual)
        if items is None or len(items) != len(expected):
            raise Mismatch(_shape_of(expected), _shape_of(actual), help, what=here, counterexample=example)
        for i, (a, e) in enumerate(zip(items, expected)):
            expect_same_structure(a, e, what, help, path=f"{path}[{i}]", example=example, rtol=rtol, atol=atol)
        return None
    if type(expected) is dict:
        if type(actual) is not dict or set(actual) != set(expected):
            raise Mismatch(_shape_of(expected), _shape_of(actual), help, what=here, counterexample=example)
        for key in expected:
            expect_same_structure(actual[key], expected[key], what, help, path=f"{path}[{key!r}]",
                                  example=example, rtol=rtol, atol=atol)
        return None
    return _expect_same_scalar(actual, expected, here, help, example, rtol, atol)


def _items(value: Any) -> list[Any] | None:
    """A list's or tuple's elements, read through the built-in type's own iterator: a subclass
    (a namedtuple) is accepted as what it holds, whatever it overrides. None for anything else."""
    for base in _SEQUENCES:
        if issubclass(type(value), base):
            return list(base.__iter__(value))
    return None


def _expect_same_array(actual: Any, expected: Any, what: T, help: T | None, example: Any,
                       rtol: float | None, atol: float | None) -> None:
    if isinstance(expected, _Tensor):
        actual = expect_tensor(actual, what, counterexample=example)
        for field in ("shape", "dtype", "device"):
            got, want = getattr(actual, field), getattr(expected, field)
            if got != want:
                name = {"shape": ("形", "shape"), "dtype": ("dtype", "dtype"), "device": ("デバイス", "device")}[field]
                raise Mismatch(_plain(want), _plain(got), help, counterexample=example,
                               what=T(ja=f"{what.ja} の{name[0]}", en=f"the {name[1]} of {what.en}"))
    floating = expected.dtype.is_floating_point or expected.dtype.is_complex if isinstance(expected, _Tensor) \
        else expected.dtype.kind in "fc"
    if floating:
        expect_close(actual, expected, what, help, rtol=rtol, atol=atol, counterexample=example)
    else:
        expect_equal_arrays(actual, expected, what, help, counterexample=example)


def _expect_same_scalar(actual: Any, expected: Any, what: T, help: T | None, example: Any,
                        rtol: float | None, atol: float | None) -> None:
    numeric = type(expected) in (int, float) and type(actual) in (int, float)
    if type(actual) is not type(expected) and not (numeric and type(expected) is float):
        raise Mismatch(f"{type(expected).__name__} {show(expected)}", f"{type(actual).__name__} {show(actual)}",
                       help, what=what, counterexample=example)
    if type(expected) is float:
        expect_close(float(actual), expected, what, help, rtol=rtol, atol=atol, counterexample=example)
    elif not bool(actual == expected):
        raise Mismatch(show(expected), show(actual), help, what=what, counterexample=example)


def _expect_same_inputs(after: Any, before: Any, what: T, example: Any, help: T | None = None,
                        path: str = "") -> None:
    if isinstance(before, _Tensor):
        same = isinstance(after, _Tensor) and after.shape == before.shape and after.dtype == before.dtype and (
            _equal(_detach(after), _detach(before)) or (after.dtype.is_floating_point and _equal(
                _isnan(_detach(after)), _isnan(_detach(before))) and _equal(
                _detach(after).nan_to_num(0.0), _detach(before).nan_to_num(0.0))))
    elif isinstance(before, _ndarray):
        same = isinstance(after, _ndarray) and after.shape == before.shape and bool(
            np.array_equal(after, before, equal_nan=after.dtype.kind in "fc"))
    elif type(before) in _SEQUENCES or type(before) is dict:
        keys = range(len(before)) if type(before) in _SEQUENCES else list(before)
        if type(after) is not type(before) or len(after) != len(before):
            same = False
        else:
            for k in keys:
                _expect_same_inputs(after[k], before[k], what, example, help, f"{path}[{k!r}]")
            return
    else:
        return
    if not same:
        raise Failure(T(ja=f"{what.ja}: 引数{_arg_name(path)}が書き換えられました",
                        en=f"{what.en}: the argument{_arg_name(path)} was modified in place"),
                      help or UNMODIFIED_HELP, counterexample=example)


def _arg_name(path: str) -> str:
    """`[0][2]` of ((args), {kwargs}) as the learner reads it: ` args[2]` or ` x`."""
    if path.startswith("[0]"):
        return f" args{path[3:]}" if path[3:] else ""
    if path.startswith("[1]["):
        return " " + path[4:].split("]", 1)[0].strip("'\"") + path[4:].split("]", 1)[1]
    return ""


def _shape_of(value: Any) -> str:
    """The outline of a value: `tuple of 3`, `dict with keys ['a', 'b']`, or the value itself."""
    if type(value) in _SEQUENCES:
        return f"{type(value).__name__} of {len(value)}"
    if type(value) is dict:
        return f"dict with keys {sorted(map(str, value))}"
    return show(value)


def _plain(value: Any) -> str:
    if isinstance(value, torch.Size):
        return str(tuple(value))
    return str(value).removeprefix("torch.")
