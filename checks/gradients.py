"""Gradient checks: correct gradients (float64) and gradients that flow exactly where they should.

    from checks.gradients import expect_gradients_match, expect_gradient_flow

    expect_gradients_match(ex.pairwise_sq_distances, oracle, a, b,
                           what=T(ja="a と b に関する勾配", en="the gradients w.r.t. a and b"))
    expect_gradient_flow(lambda *xs: ex.pad_collate(list(zip(xs, labels)))[0], sequences,
                         flows=[torch.ones_like(s, dtype=torch.bool) for s in sequences],
                         what=T(ja="padded から各系列への勾配", en="the gradient from padded to each sequence"))

Both back-propagate `(out * w).sum()` with a fixed weight `w` drawn from a seeded
generator (positive, so no two contributions cancel), rather than `out.sum()`: a gradient
that is wrong only by a permutation of the output still shows. Gradient correctness runs
in float64 on copies of the inputs, so tolerance is float64's, not the learner's dtype's.
"""

from __future__ import annotations

from typing import Any, Callable, Sequence

import torch

from checks.compare import expect_close, expect_tensor
from checks.feedback import Failure, T, showing

_Tensor = torch.Tensor
_grad = torch.autograd.grad
_Generator = torch.Generator

CUT_HELP = T(
    ja="計算グラフが途中で切れています。no_grad、detach()、.item()、.numpy()、torch.tensor(...) での作り直しは勾配を止めます",
    en="the graph is cut somewhere: no_grad, detach(), .item(), .numpy() and re-creating with torch.tensor(...) stop gradients",
)


def output_weight(shape: torch.Size, dtype: torch.dtype) -> torch.Tensor:
    """The fixed weight the output is multiplied by before backward: in [1, 2), seeded."""
    gen = _Generator().manual_seed(20261205)
    return 1.0 + torch.rand(shape, generator=gen, dtype=torch.float64).to(dtype)


def expect_gradients_match(student: Callable[..., Any], oracle: Callable[..., Any], *inputs: Any, what: T,
                           help: T | None = None, example: str | T | None = None,
                           output: Callable[[Any], Any] | None = None) -> None:
    """The gradients of the learner's output w.r.t. every floating tensor in `inputs` equal
    the oracle's (both computed in float64 on their own copies of the inputs)."""
    expected = _gradients(oracle, inputs, output)
    with showing(example):
        actual = _gradients(student, inputs, output, what=what, example=example)
    for i, (got, want) in enumerate(zip(actual, expected)):
        if want is None:
            continue
        where = T(ja=f"{what.ja}（入力 {i}）", en=f"{what.en} (input {i})") if len(expected) > 1 else what
        expect_close(got, want, where, help, counterexample=example)


def expect_gradient_flow(fn: Callable[..., Any], inputs: Sequence[_Tensor], flows: Sequence[_Tensor], what: T,
                         help: T | None = None, example: str | T | None = None,
                         output: Callable[[Any], Any] | None = None) -> None:
    """The gradient reaching `inputs[i]` is nonzero exactly where the bool tensor `flows[i]` is True."""
    leaves = [x.detach().clone().requires_grad_(True) for x in inputs]
    with showing(example):
        out = _selected(fn(*leaves), output, what, example)
        grads = _grad((out * output_weight(out.shape, out.dtype)).sum(), leaves, allow_unused=True)
    for i, (g, flow) in enumerate(zip(grads, flows)):
        reached = torch.zeros_like(flow, dtype=torch.bool) if g is None else (g.detach() != 0)
        leaks = (reached & ~flow).nonzero()
        missing = (flow & ~reached).nonzero()
        if len(leaks):
            pos = tuple(leaks[0].tolist())
            raise Failure(T(ja=f"{what.ja}: 入力 {i} の位置 {pos} に勾配が流れています（流れてはいけない位置です）",
                            en=f"{what.en}: gradient reaches input {i} at {pos}, where none should flow"),
                          help, counterexample=example)
        if len(missing):
            pos = tuple(missing[0].tolist())
            raise Failure(T(ja=f"{what.ja}: 入力 {i} の位置 {pos} に勾配が届いていません",
                            en=f"{what.en}: no gradient reaches input {i} at {pos}"),
                          help or CUT_HELP, counterexample=example)


def _gradients(fn: Callable[..., Any], inputs: Sequence[Any], output: Callable[[Any], Any] | None,
               what: T | None = None, example: Any = None) -> list[_Tensor | None]:
    leaves = [x.detach().to(torch.float64).requires_grad_(True) if _floating(x) else x for x in inputs]
    out = _selected(fn(*leaves), output, what, example)
    wanted = [x for x in leaves if _floating(x)]
    grads = iter(_grad((out.to(torch.float64) * output_weight(out.shape, torch.float64)).sum(), wanted,
                       allow_unused=True))
    return [_zero_if_none(next(grads), x) if _floating(x) else None for x in leaves]


def _selected(result: Any, output: Callable[[Any], Any] | None, what: T | None, example: Any) -> _Tensor:
    what = what or T(ja="出力", en="the output")
    out = expect_tensor(output(result) if output else result, what, counterexample=example)
    if not out.requires_grad:
        raise Failure(T(ja=f"{what.ja} が入力に対する勾配を持ちません（requires_grad=False）",
                        en=f"{what.en} carries no gradient back to the inputs (requires_grad=False)"),
                      CUT_HELP, counterexample=example)
    return out


def _floating(x: Any) -> bool:
    return isinstance(x, _Tensor) and x.dtype.is_floating_point


def _zero_if_none(g: _Tensor | None, x: _Tensor) -> _Tensor:
    return torch.zeros_like(x) if g is None else g

