# Style: subclass of torch's CosineAnnealingWarmRestarts (its own T_0/T_mult checks), warmup in front, T_cur held at 0 meanwhile.
"""Subclass of torch's CosineAnnealingWarmRestarts: warmup in front, T_cur held at 0 meanwhile."""
from torch.optim.lr_scheduler import CosineAnnealingWarmRestarts


class WarmupCosineRestarts(CosineAnnealingWarmRestarts):
    def __init__(self, optimizer, warmup_steps: int, T_0: int, T_mult: int = 1,
                 eta_min: float = 0.0, last_epoch: int = -1) -> None:
        if warmup_steps < 0:
            raise ValueError("warmup_steps must be >= 0")
        if eta_min < 0:
            raise ValueError("eta_min must be >= 0")
        self.warmup_steps = warmup_steps
        super().__init__(optimizer, T_0, T_mult=T_mult, eta_min=eta_min, last_epoch=last_epoch)  # checks T_0, T_mult

    def get_lr(self):
        if self.last_epoch < self.warmup_steps:
            return [base * (self.last_epoch + 1) / self.warmup_steps for base in self.base_lrs]
        return super().get_lr()

    def step(self, epoch=None):
        if epoch is None and 0 <= self.last_epoch < self.warmup_steps:
            self.T_cur = -1  # the parent adds 1: SGDR's step 0 is the end of the warmup
        super().step(epoch)
