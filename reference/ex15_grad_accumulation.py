"""Reference solution for exercise 15: gradient accumulation (groups taken with itertools.islice)."""

from __future__ import annotations

from collections.abc import Iterable
from itertools import islice

import torch
from torch import Tensor, nn


def train_accumulated(model: nn.Module, optimizer: torch.optim.Optimizer, loss_fn,
                      micro_batches: Iterable[tuple[Tensor, Tensor]], accum_steps: int) -> list[float]:
    """One optimizer step per group of accum_steps micro-batches (the last group may be shorter);
    returns each group's mean micro-batch loss."""
    if accum_steps < 1:
        raise ValueError(f"accum_steps must be at least 1, got {accum_steps}")
    batches = iter(micro_batches)  # consumed once: a generator is fine
    means: list[float] = []
    while group := list(islice(batches, accum_steps)):  # the last group is whatever is left
        optimizer.zero_grad()  # stale gradients (also from before the call) never leak in
        total = 0.0
        for x, y in group:
            loss = loss_fn(model(x), y)
            (loss / len(group)).backward()  # divided by this group's own size k
            total += loss.item()
        optimizer.step()
        means.append(total / len(group))
    return means
