# Style: its own step counter self.t next to last_epoch, a cosine helper, a history of lrs kept on self.
import math

from torch.optim import lr_scheduler


class WarmupCosineRestarts(lr_scheduler.LRScheduler):
    """Own counter (self.t) next to last_epoch, cosine via a helper, extra printing; state saved by default."""

    def __init__(self, optimizer, warmup_steps, T_0, T_mult=1, eta_min=0.0, last_epoch=-1):
        for name, value, lowest in (("warmup_steps", warmup_steps, 0), ("T_0", T_0, 1), ("T_mult", T_mult, 1)):
            if value < lowest:
                raise ValueError(f"{name} must be at least {lowest}")
        if eta_min < 0:
            raise ValueError("eta_min must be non-negative")
        self.warmup_steps = warmup_steps
        self.T_0 = T_0
        self.T_mult = T_mult
        self.eta_min = eta_min
        self.t = -1
        self.history = []
        super().__init__(optimizer, last_epoch)

    @staticmethod
    def _cosine(lo, hi, frac):
        return lo + (hi - lo) * 0.5 * (1 + math.cos(math.pi * frac))

    def step(self, epoch=None):
        self.t += 1
        super().step()
        self.history.append(self.get_last_lr())

    def get_lr(self):
        t = self.t
        if t < self.warmup_steps:
            return [lr * (t + 1) / self.warmup_steps for lr in self.base_lrs]
        s = t - self.warmup_steps
        length = self.T_0
        while s >= length:
            s -= length
            length *= self.T_mult
        return [self._cosine(self.eta_min, lr, s / length) for lr in self.base_lrs]
