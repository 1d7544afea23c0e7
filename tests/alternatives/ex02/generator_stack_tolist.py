# Style: a generator of per-step losses consumed by list(); detached losses stacked and converted with .tolist() at the end; device taken from the model.
from __future__ import annotations

from typing import Iterable, Iterator

import torch
import torch.nn as nn
from torch import Tensor


def _steps(model: nn.Module, optimizer: torch.optim.Optimizer,
           batches: Iterable[tuple[Tensor, Tensor]]) -> Iterator[Tensor]:
    device = next(model.parameters()).device
    criterion = nn.MSELoss()
    for x, y in batches:
        x, y = x.to(device), y.to(device)
        optimizer.zero_grad(set_to_none=True)
        loss = criterion(model(x), y)
        loss.backward()
        optimizer.step()
        yield loss.detach()


def train(model: nn.Module, optimizer: torch.optim.Optimizer,
          batches: Iterable[tuple[Tensor, Tensor]]) -> list[float]:
    losses = list(_steps(model, optimizer, batches))
    if not losses:
        return []
    return torch.stack(losses).tolist()
