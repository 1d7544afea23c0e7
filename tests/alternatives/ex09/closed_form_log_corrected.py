# Style: closed form with a logarithm for the cycle index, then corrected with exact integer cycle starts (so a log that lands at 4.999... cannot cost a restart).
from __future__ import annotations

import math

import torch
from torch.optim.lr_scheduler import LRScheduler


class WarmupCosineRestarts(LRScheduler):
    def __init__(self, optimizer, warmup_steps: int, T_0: int, T_mult: int = 1,
                 eta_min: float = 0.0, last_epoch: int = -1):
        for name, value, low in (("warmup_steps", warmup_steps, 0), ("T_0", T_0, 1), ("T_mult", T_mult, 1),
                                 ("eta_min", eta_min, 0)):
            if value < low:
                raise ValueError(f"{name} must be >= {low}, got {value}")
        self.warmup_steps = warmup_steps
        self.T_0 = T_0
        self.T_mult = T_mult
        self.eta_min = eta_min
        super().__init__(optimizer, last_epoch)

    def _cycle_start(self, n: int) -> int:
        """The SGDR step at which cycle n begins: T_0 * (T_mult**n - 1) / (T_mult - 1), exactly."""
        return self.T_0 * (self.T_mult ** n - 1) // (self.T_mult - 1)

    def _factor(self, base: float) -> float:
        t = self.last_epoch
        if t < self.warmup_steps:
            return base * (t + 1) / self.warmup_steps
        s = t - self.warmup_steps
        if self.T_mult == 1:
            t_cur, t_i = s % self.T_0, self.T_0
        else:
            n = int(math.log(s / self.T_0 * (self.T_mult - 1) + 1, self.T_mult))
            while self._cycle_start(n + 1) <= s:
                n += 1
            while self._cycle_start(n) > s:
                n -= 1
            t_cur, t_i = s - self._cycle_start(n), self.T_0 * self.T_mult ** n
        angle = torch.tensor(math.pi * t_cur / t_i, dtype=torch.float64)
        return self.eta_min + (base - self.eta_min) * 0.5 * (1.0 + torch.cos(angle).item())

    def get_lr(self):
        return [self._factor(base) for base in self.base_lrs]
