# Style: functional loss (F.mse_loss), model.zero_grad(set_to_none=False), float(loss), enumerate over batches.
from __future__ import annotations

from typing import Iterable

import torch
import torch.nn.functional as F
from torch import Tensor, nn


def train(model: nn.Module, optimizer: torch.optim.Optimizer,
          batches: Iterable[tuple[Tensor, Tensor]]) -> list[float]:
    model.train()
    history = []
    for step, (inputs, targets) in enumerate(batches):
        model.zero_grad(set_to_none=False)
        predictions = model(inputs)
        loss = F.mse_loss(predictions, targets)
        loss.backward()
        optimizer.step()
        history.append(float(loss.detach()))
    return history
