# Style: counts steps with LRScheduler's own _step_count (1 after construction) instead of last_epoch; warmup factor via min().
import math

import torch


class WarmupCosineRestarts(torch.optim.lr_scheduler.LRScheduler):
    def __init__(self, optimizer, warmup_steps, T_0, T_mult=1, eta_min=0.0, last_epoch=-1):
        if warmup_steps < 0:
            raise ValueError("warmup_steps < 0")
        if T_0 < 1:
            raise ValueError("T_0 < 1")
        if T_mult < 1:
            raise ValueError("T_mult < 1")
        if eta_min < 0:
            raise ValueError("eta_min < 0")
        self.warmup_steps = warmup_steps
        self.T_0 = T_0
        self.T_mult = T_mult
        self.eta_min = eta_min
        super().__init__(optimizer, last_epoch)

    def get_lr(self):
        t = self._step_count - 1   # _step_count is 1 once construction has stepped
        if t < self.warmup_steps:
            return [base * min(1.0, (t + 1) / self.warmup_steps) for base in self.base_lrs]
        s = t - self.warmup_steps
        T_i = self.T_0
        while s >= T_i:
            s -= T_i
            T_i *= self.T_mult
        return [self.eta_min + (base - self.eta_min) * (1 + math.cos(math.pi * s / T_i)) / 2
                for base in self.base_lrs]
