# Mutant: finds the cycle index as int(log10(s / T_0 * (T_mult - 1) + 1) / log10(T_mult)): the float ratio lands just below an integer at some restarts (T_0=1, T_mult=5, s=31), so the lr falls to eta_min instead of restarting.
import math

from torch.optim.lr_scheduler import LRScheduler


class WarmupCosineRestarts(LRScheduler):
    def __init__(self, optimizer, warmup_steps: int, T_0: int, T_mult: int = 1,
                 eta_min: float = 0.0, last_epoch: int = -1) -> None:
        if warmup_steps < 0 or T_0 < 1 or T_mult < 1 or eta_min < 0:
            raise ValueError("need warmup_steps >= 0, T_0 >= 1, T_mult >= 1 and eta_min >= 0")
        self.warmup_steps, self.T_0, self.T_mult, self.eta_min = warmup_steps, T_0, T_mult, eta_min
        super().__init__(optimizer, last_epoch)

    def get_lr(self):
        t = self.last_epoch
        if t < self.warmup_steps:
            return [base * (t + 1) / self.warmup_steps for base in self.base_lrs]
        s = t - self.warmup_steps
        if self.T_mult == 1:
            t_cur, t_i = s % self.T_0, self.T_0
        else:
            n = int(math.log10(s / self.T_0 * (self.T_mult - 1) + 1) / math.log10(self.T_mult))
            t_i = self.T_0 * self.T_mult ** n
            t_cur = s - self.T_0 * (self.T_mult ** n - 1) // (self.T_mult - 1)
        cosine = (1 + math.cos(math.pi * t_cur / t_i)) / 2
        return [self.eta_min + (base - self.eta_min) * cosine for base in self.base_lrs]
