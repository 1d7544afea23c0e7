# Golden case: the forward pass runs under torch.no_grad(), so loss.backward() finds no graph.

from __future__ import annotations

from typing import Iterable

import torch
import torch.nn as nn
from torch import Tensor


def train(model: nn.Module, optimizer: torch.optim.Optimizer,
          batches: Iterable[tuple[Tensor, Tensor]]) -> list[float]:
    criterion = nn.MSELoss()  # bug 1: instantiate the loss module, then call it
    losses: list[float] = []
    for x, y in batches:
        optimizer.zero_grad()  # bug 2: clear old gradients before this batch's backward
        with torch.no_grad():
            output = model(x)
        loss = criterion(output, y)
        loss.backward()
        optimizer.step()
        losses.append(loss.item())  # the loss before the update, as a Python float
    return losses
