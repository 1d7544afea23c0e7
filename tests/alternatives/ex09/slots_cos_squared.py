# Style: __slots__ for the settings plus a dataclass for the cycle; cosine written as cos^2(pi*x/2) (same as (1+cos(pi*x))/2).
from __future__ import annotations

import math
from dataclasses import dataclass

from torch.optim.lr_scheduler import LRScheduler


@dataclass(frozen=True)
class Cycle:
    position: int
    length: int

    @property
    def fraction(self) -> float:
        return self.position / self.length


class WarmupCosineRestarts(LRScheduler):
    __slots__ = ("warmup_steps", "T_0", "T_mult", "eta_min")

    def __init__(self, optimizer, warmup_steps: int, T_0: int, T_mult: int = 1,
                 eta_min: float = 0.0, last_epoch: int = -1) -> None:
        if min(T_0, T_mult) < 1 or warmup_steps < 0 or eta_min < 0:
            raise ValueError(f"bad settings: warmup_steps={warmup_steps}, T_0={T_0}, T_mult={T_mult}, eta_min={eta_min}")
        self.warmup_steps = warmup_steps
        self.T_0 = T_0
        self.T_mult = T_mult
        self.eta_min = eta_min
        super().__init__(optimizer, last_epoch)

    def cycle_at(self, s: int) -> Cycle:
        start, length = 0, self.T_0
        while s - start >= length:
            start += length
            length *= self.T_mult
        return Cycle(s - start, length)

    def get_lr(self) -> list[float]:
        t = self.last_epoch
        if t < self.warmup_steps:
            return [base * (t + 1) / self.warmup_steps for base in self.base_lrs]
        weight = math.cos(math.pi * self.cycle_at(t - self.warmup_steps).fraction / 2) ** 2
        return [self.eta_min + (base - self.eta_min) * weight for base in self.base_lrs]
