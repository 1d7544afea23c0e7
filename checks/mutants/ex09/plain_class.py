# Mutant: writes a plain class with its own step()/get_last_lr()/state_dict() instead of subclassing LRScheduler.
from __future__ import annotations

import math

import torch


class WarmupCosineRestarts:
    def __init__(self, optimizer: torch.optim.Optimizer, warmup_steps: int, T_0: int, T_mult: int = 1,
                 eta_min: float = 0.0, last_epoch: int = -1) -> None:
        if warmup_steps < 0 or T_0 < 1 or T_mult < 1 or eta_min < 0:
            raise ValueError("invalid settings")
        self.optimizer = optimizer
        self.warmup_steps, self.T_0, self.T_mult, self.eta_min = warmup_steps, T_0, T_mult, eta_min
        self.base_lrs = [group["lr"] for group in optimizer.param_groups]
        self.last_epoch = 0
        self._apply()

    def _lr(self, base_lr: float) -> float:
        t = self.last_epoch
        if t < self.warmup_steps:
            return base_lr * (t + 1) / self.warmup_steps
        t_cur, t_i = t - self.warmup_steps, self.T_0
        while t_cur >= t_i:
            t_cur -= t_i
            t_i *= self.T_mult
        return self.eta_min + (base_lr - self.eta_min) * (1 + math.cos(math.pi * t_cur / t_i)) / 2

    def _apply(self) -> None:
        for group, base_lr in zip(self.optimizer.param_groups, self.base_lrs):
            group["lr"] = self._lr(base_lr)
        self._last_lr = [group["lr"] for group in self.optimizer.param_groups]

    def step(self) -> None:
        self.last_epoch += 1
        self._apply()

    def get_last_lr(self) -> list[float]:
        return self._last_lr

    def state_dict(self) -> dict:
        return {k: v for k, v in self.__dict__.items() if k != "optimizer"}

    def load_state_dict(self, state: dict) -> None:
        self.__dict__.update(state)
