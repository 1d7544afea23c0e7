"""Count the tensor operations a call dispatches — "efficiency" graded without a clock.

A Python loop over a batch dispatches a few aten ops *per element*; a vectorised solution
dispatches the same number whatever the batch size. Counting the ops at two sizes tells
the two apart deterministically, on any machine, with no timing:

    from checks.opcount import count_ops, growth

    small, _ = count_ops(fn, hidden_b2, lengths_b2)
    large, _ = count_ops(fn, hidden_b9, lengths_b9)
    grown = growth(small, large)          # {"aten.select.int": (2, 9), ...}; empty if constant

Counting uses a `TorchDispatchMode`, which sees every aten op that reaches the kernels
(below autograd, so counts do not depend on `requires_grad`). The mode class is bound
when this module is imported, at collection, before any student code runs.
"""

from __future__ import annotations

from collections import Counter
from typing import Any, Callable

from torch.utils._python_dispatch import TorchDispatchMode

__all__ = ["OpCounter", "count_ops", "growth", "describe_growth"]


class OpCounter(TorchDispatchMode):
    """Counts every aten op dispatched while active, by overload name (`aten.index.Tensor`)."""

    @classmethod
    def _should_skip_dynamo(cls) -> bool:
        # Otherwise torch wraps __torch_dispatch__ in a dynamo guard whose first call imports
        # torch._dynamo (~3 s). Nothing is compiled while counting, so the guard is not needed.
        return False

    def __init__(self) -> None:
        super().__init__()
        self.counts: Counter[str] = Counter()

    def __torch_dispatch__(self, func: Any, types: Any, args: tuple = (), kwargs: dict | None = None) -> Any:
        self.counts[str(func)] += 1
        return func(*args, **(kwargs or {}))

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def count_ops(fn: Callable[..., Any], *args: Any, **kwargs: Any) -> tuple[Counter[str], Any]:
    """Run `fn(*args, **kwargs)` and return (op counts by name, its result).

    Exceptions from `fn` propagate unchanged (the mode is exited first)."""
    counter = OpCounter()
    with counter:
        result = fn(*args, **kwargs)
    return counter.counts, result


def growth(small: Counter[str], large: Counter[str]) -> dict[str, tuple[int, int]]:
    """Ops dispatched more often in the `large` run than in the `small` one: name -> (small, large)."""
    return {name: (small.get(name, 0), n) for name, n in sorted(large.items()) if n > small.get(name, 0)}


def describe_growth(grown: dict[str, tuple[int, int]], limit: int = 5) -> str:
    """'aten.select.int 2 → 9, aten.sub.Tensor 2 → 9' for the ops that grew most."""
    worst = sorted(grown.items(), key=lambda kv: kv[1][0] - kv[1][1])[:limit]
    return ", ".join(f"{name} {a} → {b}" for name, (a, b) in worst)
