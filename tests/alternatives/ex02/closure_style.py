# Style: optimizer.step(closure) — the closure clears, computes and backpropagates the loss.
from __future__ import annotations

from typing import Iterable

import torch
import torch.nn as nn
from torch import Tensor


def train(model: nn.Module, optimizer: torch.optim.Optimizer,
          batches: Iterable[tuple[Tensor, Tensor]]) -> list[float]:
    criterion = nn.MSELoss(reduction="mean")
    losses: list[float] = []
    for x, y in batches:
        def closure() -> Tensor:
            optimizer.zero_grad()
            loss = criterion(model(x), y)
            loss.backward()
            return loss

        loss = optimizer.step(closure)
        losses.append(loss.item())
    return losses
