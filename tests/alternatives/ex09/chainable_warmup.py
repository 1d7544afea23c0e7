# Style: chainable-style get_lr reading group["lr"] (warmup adds base/w each step), closed form for the cosine part.
import math

from torch.optim.lr_scheduler import LRScheduler


class WarmupCosineRestarts(LRScheduler):
    def __init__(self, optimizer, warmup_steps, T_0, T_mult=1, eta_min=0.0, last_epoch=-1):
        if warmup_steps < 0 or T_0 < 1 or T_mult < 1 or eta_min < 0:
            raise ValueError("invalid arguments")
        self.warmup_steps, self.T_0, self.T_mult, self.eta_min = warmup_steps, T_0, T_mult, eta_min
        super().__init__(optimizer, last_epoch)

    def get_lr(self):
        t = self.last_epoch
        groups = self.optimizer.param_groups
        if t == 0 and self.warmup_steps > 0:
            return [base / self.warmup_steps for base in self.base_lrs]
        if t < self.warmup_steps:
            # one more slice of base_lr / warmup_steps on top of the current lr
            return [g["lr"] + base / self.warmup_steps for g, base in zip(groups, self.base_lrs)]
        s, T_i = t - self.warmup_steps, self.T_0
        while s >= T_i:
            s, T_i = s - T_i, T_i * self.T_mult
        return [self.eta_min + (base - self.eta_min) * 0.5 * (1.0 + math.cos(math.pi * s / T_i))
                for base in self.base_lrs]
