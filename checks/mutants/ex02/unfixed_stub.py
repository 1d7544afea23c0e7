# Mutant: deletes the `raise NotImplementedError` line and fixes nothing: nn.MSELoss(output, y) fails on the first batch, and with no batches it returns [].
from __future__ import annotations

from typing import Iterable

import torch
import torch.nn as nn
from torch import Tensor


def train(model: nn.Module, optimizer: torch.optim.Optimizer,
          batches: Iterable[tuple[Tensor, Tensor]]) -> list[float]:
    losses: list[float] = []
    for x, y in batches:
        output = model(x)
        loss = nn.MSELoss(output, y)
        loss.backward()
        optimizer.step()
        # TODO: このステップの損失を losses に加える / record this step's loss in losses
    return losses
