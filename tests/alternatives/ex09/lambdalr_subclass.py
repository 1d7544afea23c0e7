# Style: subclass of LambdaLR: one multiplicative factor per group (eta_min folded in as eta_min / base_lr).
import math
from functools import partial

from torch.optim.lr_scheduler import LambdaLR


def _factor(t: int, *, base: float, warmup: int, T_0: int, T_mult: int, eta_min: float) -> float:
    if t < warmup:
        return (t + 1) / warmup
    s, length = t - warmup, T_0
    while s >= length:
        s -= length
        length *= T_mult
    floor = eta_min / base
    return floor + (1 - floor) * 0.5 * (1 + math.cos(math.pi * s / length))


class WarmupCosineRestarts(LambdaLR):
    def __init__(self, optimizer, warmup_steps: int, T_0: int, T_mult: int = 1,
                 eta_min: float = 0.0, last_epoch: int = -1) -> None:
        if warmup_steps < 0 or T_0 < 1 or T_mult < 1 or eta_min < 0:
            raise ValueError("need warmup_steps >= 0, T_0 >= 1, T_mult >= 1, eta_min >= 0")
        self.warmup_steps, self.T_0, self.T_mult, self.eta_min = warmup_steps, T_0, T_mult, eta_min
        factors = [partial(_factor, base=group["lr"], warmup=warmup_steps, T_0=T_0, T_mult=T_mult, eta_min=eta_min)
                   for group in optimizer.param_groups]
        super().__init__(optimizer, factors, last_epoch)
