# Mutant: indexes batches with range(len(batches)), which fails for a generator.
from __future__ import annotations

from typing import Iterable

import torch
import torch.nn as nn
from torch import Tensor


def train(model: nn.Module, optimizer: torch.optim.Optimizer,
          batches: Iterable[tuple[Tensor, Tensor]]) -> list[float]:
    criterion = nn.MSELoss()
    losses: list[float] = []
    for i in range(len(batches)):  # type: ignore[arg-type]
        x, y = batches[i]  # type: ignore[index]
        optimizer.zero_grad()
        loss = criterion(model(x), y)
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
    return losses
