# Mutant: peeks at the first batch with next(iter(batches)) to find the device, which fails for no batches and loses a batch of a generator.
from __future__ import annotations

from typing import Iterable

import torch
import torch.nn as nn
from torch import Tensor


def train(model: nn.Module, optimizer: torch.optim.Optimizer,
          batches: Iterable[tuple[Tensor, Tensor]]) -> list[float]:
    first_x, _ = next(iter(batches))
    model.to(first_x.device)
    criterion = nn.MSELoss()
    losses: list[float] = []
    for x, y in batches:
        optimizer.zero_grad()
        loss = criterion(model(x), y)
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
    return losses
