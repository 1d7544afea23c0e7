# Golden case: the attributes get_lr() reads are set after super().__init__(), which already calls it.

from __future__ import annotations

import math

import torch
from torch.optim.lr_scheduler import LRScheduler


class WarmupCosineRestarts(LRScheduler):
    def __init__(self, optimizer: torch.optim.Optimizer, warmup_steps: int, T_0: int, T_mult: int = 1,
                 eta_min: float = 0.0, last_epoch: int = -1) -> None:
        if warmup_steps < 0:
            raise ValueError(f"warmup_steps must be >= 0, got {warmup_steps}")
        if T_0 < 1:
            raise ValueError(f"T_0 must be >= 1, got {T_0}")
        if T_mult < 1:
            raise ValueError(f"T_mult must be >= 1, got {T_mult}")
        if eta_min < 0:
            raise ValueError(f"eta_min must be >= 0, got {eta_min}")
        # set before super().__init__, which already calls get_lr() once (t = 0)
        super().__init__(optimizer, last_epoch)
        self.warmup_steps = warmup_steps
        self.T_0 = T_0
        self.T_mult = T_mult
        self.eta_min = eta_min

    def _cycle_position(self, s: int) -> tuple[int, int]:
        """(T_cur, T_i) at SGDR step s, in exact integer arithmetic."""
        if self.T_mult == 1:
            return s % self.T_0, self.T_0
        t_cur, t_i = s, self.T_0
        while t_cur >= t_i:
            t_cur -= t_i
            t_i *= self.T_mult
        return t_cur, t_i

    def get_lr(self) -> list[float]:
        t = self.last_epoch  # the number of step() calls so far
        if t < self.warmup_steps:
            return [base_lr * (t + 1) / self.warmup_steps for base_lr in self.base_lrs]
        t_cur, t_i = self._cycle_position(t - self.warmup_steps)
        cosine = (1 + math.cos(math.pi * t_cur / t_i)) / 2
        return [self.eta_min + (base_lr - self.eta_min) * cosine for base_lr in self.base_lrs]
