# Style: torch maths in get_lr (torch.cos on a float64 tensor), values handed back as Python floats via .item().
import math

import torch
from torch.optim.lr_scheduler import LRScheduler


class WarmupCosineRestarts(LRScheduler):
    def __init__(self, optimizer, warmup_steps, T_0, T_mult=1, eta_min=0.0, last_epoch=-1):
        if warmup_steps < 0:
            raise ValueError("warmup_steps must be >= 0")
        if T_0 < 1 or T_mult < 1:
            raise ValueError("T_0 and T_mult must be >= 1")
        if eta_min < 0:
            raise ValueError("eta_min must be >= 0")
        self.warmup_steps, self.T_0, self.T_mult, self.eta_min = warmup_steps, T_0, T_mult, eta_min
        super().__init__(optimizer, last_epoch)

    def get_lr(self):
        t = self.last_epoch
        bases = torch.tensor(self.base_lrs, dtype=torch.float64)
        if t < self.warmup_steps:
            lrs = bases * (t + 1) / self.warmup_steps
        else:
            s, length = t - self.warmup_steps, self.T_0
            while s >= length:
                s, length = s - length, length * self.T_mult
            cosine = 0.5 * (1 + torch.cos(torch.tensor(math.pi * s / length, dtype=torch.float64)))
            lrs = self.eta_min + (bases - self.eta_min) * cosine
        return lrs.tolist()
