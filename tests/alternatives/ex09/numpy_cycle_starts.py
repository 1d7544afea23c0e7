# Style: numpy maths on all groups at once, cycle found by walking cycle starts, every problem listed in the ValueError.
import numpy as np
import torch


class WarmupCosineRestarts(torch.optim.lr_scheduler.LRScheduler):
    """numpy maths, the cycle found from a table of cumulative cycle starts; returns numpy floats."""

    def __init__(self, optimizer, warmup_steps, T_0, T_mult=1, eta_min=0.0, last_epoch=-1):
        problems = []
        if warmup_steps < 0:
            problems.append(f"warmup_steps={warmup_steps} < 0")
        if T_0 < 1:
            problems.append(f"T_0={T_0} < 1")
        if T_mult < 1:
            problems.append(f"T_mult={T_mult} < 1")
        if eta_min < 0:
            problems.append(f"eta_min={eta_min} < 0")
        if problems:
            raise ValueError("; ".join(problems))
        self.warmup_steps = int(warmup_steps)
        self.T_0, self.T_mult, self.eta_min = int(T_0), int(T_mult), float(eta_min)
        super().__init__(optimizer, last_epoch=last_epoch)

    def _position(self, s: int) -> tuple[int, int]:
        start, length = 0, self.T_0
        while start + length <= s:
            start, length = start + length, length * self.T_mult
        return s - start, length

    def get_lr(self):
        t = self.last_epoch
        bases = np.asarray(self.base_lrs, dtype=np.float64)
        if t < self.warmup_steps:
            lrs = bases * (t + 1) / self.warmup_steps
        else:
            t_cur, t_i = self._position(t - self.warmup_steps)
            lrs = self.eta_min + (bases - self.eta_min) * 0.5 * (1.0 + np.cos(np.pi * t_cur / t_i))
        return [float(v) for v in lrs]
