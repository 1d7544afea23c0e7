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

from checks.feedback import Failure, T

__all__ = ["OpCounter", "count_ops", "growth", "describe_growth", "expect_vectorised"]


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


def expect_vectorised(fn: Callable[..., Any], make_args: Callable[[int], tuple], what: Any, help: Any = None,
                      sizes: tuple[int, int] = (2, 16)) -> None:
    """The number of tensor operations `fn(*make_args(n))` dispatches must not grow from
    n = sizes[0] to n = sizes[1] (a Python loop over rows or samples makes it grow).

        expect_vectorised(ex.pairwise_sq_distances, lambda n: (torch.randn(n, 3), torch.randn(4, 3)),
                          what=T(ja="pairwise_sq_distances", en="pairwise_sq_distances"))
    """
    small, _ = count_ops(fn, *make_args(sizes[0]))
    large, _ = count_ops(fn, *make_args(sizes[1]))
    grown = growth(small, large)
    if grown:
        raise Failure(
            T(ja=f"{what.ja}: サイズが {sizes[0]} から {sizes[1]} になると演算の数が増えます（{describe_growth(grown)}）。"
                 "Python のループで 1 行ずつ処理していませんか",
              en=f"{what.en}: the number of tensor operations grows from size {sizes[0]} to {sizes[1]} "
                 f"({describe_growth(grown)}): is there a Python loop over rows?"),
            help or T(ja="ループの代わりにブロードキャストやインデックス操作でまとめて計算します",
                      en="replace the loop with broadcasting or indexing over the whole tensor"))
