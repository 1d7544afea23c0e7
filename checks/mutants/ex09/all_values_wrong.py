# Mutant: every learning rate is wrong (a constant 0.123 for every group and step), though it is an LRScheduler, validates its arguments and never raises.
from torch.optim.lr_scheduler import LRScheduler


class WarmupCosineRestarts(LRScheduler):
    def __init__(self, optimizer, warmup_steps: int, T_0: int, T_mult: int = 1,
                 eta_min: float = 0.0, last_epoch: int = -1) -> None:
        if warmup_steps < 0 or T_0 < 1 or T_mult < 1 or eta_min < 0:
            raise ValueError("need warmup_steps >= 0, T_0 >= 1, T_mult >= 1 and eta_min >= 0")
        super().__init__(optimizer, last_epoch)

    def get_lr(self):
        return [0.123 for _ in self.base_lrs]
