# Style: built from torch's own pieces: SequentialLR(LinearLR warmup, CosineAnnealingWarmRestarts) with the milestone at warmup_steps.
from torch.optim.lr_scheduler import CosineAnnealingWarmRestarts, LinearLR, SequentialLR


class WarmupCosineRestarts(SequentialLR):
    def __init__(self, optimizer, warmup_steps, T_0, T_mult=1, eta_min=0.0, last_epoch=-1):
        if warmup_steps < 0:
            raise ValueError("warmup_steps must be >= 0")
        if T_0 < 1 or T_mult < 1:
            raise ValueError("T_0 and T_mult must be >= 1")
        if eta_min < 0:
            raise ValueError("eta_min must be >= 0")
        if warmup_steps == 0:
            warmup = LinearLR(optimizer, start_factor=1.0, end_factor=1.0, total_iters=0)
        else:
            # base/w at t = 0, rising linearly to base at t = w - 1
            warmup = LinearLR(optimizer, start_factor=1.0 / warmup_steps, end_factor=1.0,
                              total_iters=max(warmup_steps - 1, 1))
        sgdr = CosineAnnealingWarmRestarts(optimizer, T_0=T_0, T_mult=T_mult, eta_min=eta_min)
        super().__init__(optimizer, schedulers=[warmup, sgdr], milestones=[warmup_steps], last_epoch=last_epoch)
