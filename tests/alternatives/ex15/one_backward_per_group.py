# Style: a list buffer per group, the group's losses summed into one tensor and back-propagated once; model.zero_grad() instead of optimizer.zero_grad(); the mean via torch.stack.
from __future__ import annotations

from typing import Iterable

import torch
from torch import Tensor, nn


def _train_group(model: nn.Module, optimizer: torch.optim.Optimizer, loss_fn, group: list) -> float:
    model.zero_grad()
    losses = torch.stack([loss_fn(model(x), y) for x, y in group])
    (losses.sum() / len(group)).backward()
    optimizer.step()
    return losses.detach().mean().item()


def train_accumulated(model: nn.Module, optimizer: torch.optim.Optimizer, loss_fn,
                      micro_batches: Iterable[tuple[Tensor, Tensor]], accum_steps: int) -> list[float]:
    if accum_steps < 1:
        raise ValueError(f"accum_steps={accum_steps} < 1")
    history: list[float] = []
    group: list = []
    for pair in micro_batches:
        group.append(pair)
        if len(group) == accum_steps:
            history.append(_train_group(model, optimizer, loss_fn, group))
            group = []
    if group:
        history.append(_train_group(model, optimizer, loss_fn, group))
    return history
