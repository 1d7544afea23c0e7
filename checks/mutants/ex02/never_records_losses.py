# Mutant: fixes both bugs but never records the losses (the TODO left as it is), so it always returns [].
from __future__ import annotations

from typing import Iterable

import torch
import torch.nn as nn
from torch import Tensor


def train(model: nn.Module, optimizer: torch.optim.Optimizer,
          batches: Iterable[tuple[Tensor, Tensor]]) -> list[float]:
    criterion = nn.MSELoss()
    losses: list[float] = []
    for x, y in batches:
        optimizer.zero_grad()
        output = model(x)
        loss = criterion(output, y)
        loss.backward()
        optimizer.step()
        # TODO: このステップの損失を losses に加える / record this step's loss in losses
    return losses
