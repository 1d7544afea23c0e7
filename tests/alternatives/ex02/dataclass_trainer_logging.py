# Style: a dataclass Trainer with a logger and extra optional arguments (loss_fn, log_every); the module-level train delegates to it.
from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Callable, Iterable

import torch
import torch.nn.functional as F
from torch import Tensor, nn

log = logging.getLogger(__name__)


@dataclass
class Trainer:
    model: nn.Module
    optimizer: torch.optim.Optimizer
    loss_fn: Callable[[Tensor, Tensor], Tensor] = F.mse_loss
    log_every: int = 1
    history: list[float] = field(default_factory=list)

    def step(self, x: Tensor, y: Tensor) -> float:
        self.optimizer.zero_grad()
        loss = self.loss_fn(self.model(x), y)
        loss.backward()
        self.optimizer.step()
        value = loss.item()
        self.history.append(value)
        if self.log_every and len(self.history) % self.log_every == 0:
            log.info("step %d loss %.5f", len(self.history), value)
        return value


def train(model: nn.Module, optimizer: torch.optim.Optimizer,
          batches: Iterable[tuple[Tensor, Tensor]], loss_fn: Callable[[Tensor, Tensor], Tensor] = F.mse_loss,
          log_every: int = 1) -> list[float]:
    logging.basicConfig(level=logging.INFO)
    trainer = Trainer(model, optimizer, loss_fn, log_every)
    for x, y in batches:
        trainer.step(x, y)
    return trainer.history
