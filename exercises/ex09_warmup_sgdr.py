"""演習 9 — ウォームアップ付き SGDR スケジューラ / Exercise 9 — warmup + cosine annealing with warm restarts

【課題】学習率のウォームアップと、再スタート付きコサインアニーリング（SGDR）を組み合わせた
学習率スケジューラ `WarmupCosineRestarts` を、torch.optim.lr_scheduler.LRScheduler の
サブクラスとして実装してください。

    class WarmupCosineRestarts(torch.optim.lr_scheduler.LRScheduler):
        def __init__(self, optimizer, warmup_steps: int, T_0: int, T_mult: int = 1,
                     eta_min: float = 0.0, last_epoch: int = -1): ...

t をこれまでに呼ばれた step() の回数（作った直後は t = 0）、base_lr を各パラメータグループの
初期学習率とすると、各グループの学習率は:
  - t < warmup_steps のとき:  lr = base_lr * (t + 1) / warmup_steps
  - それ以外: s = t - warmup_steps として、
    torch.optim.lr_scheduler.CosineAnnealingWarmRestarts(T_0, T_mult, eta_min) の s ステップ目の値
        lr = eta_min + (base_lr - eta_min) * (1 + cos(pi * T_cur / T_i)) / 2
    ここで i 番目のサイクルの長さは T_i = T_0 * T_mult**i、T_cur はそのサイクル内の位置
    （s = 0 で T_cur = 0、サイクルの終わりで T_cur = 0 に戻り、次のサイクルへ）。

要件:
  - warmup_steps = 0 なら最初から SGDR です。
  - get_last_lr() が使えること。
  - state_dict() / load_state_dict() で保存・復元すると、スケジュールがそのまま正確に再開すること。
  - パラメータグループが複数あれば、それぞれ自分の base_lr に従うこと。
  - warmup_steps < 0、T_0 < 1、T_mult < 1、eta_min < 0 なら ValueError。
  - 使い方はふつうのスケジューラと同じ: optimizer.step() の後に scheduler.step()。

[Task] Implement `WarmupCosineRestarts`, a learning-rate scheduler that combines a linear
warmup with cosine annealing with warm restarts (SGDR), as a subclass of
torch.optim.lr_scheduler.LRScheduler.

    class WarmupCosineRestarts(torch.optim.lr_scheduler.LRScheduler):
        def __init__(self, optimizer, warmup_steps: int, T_0: int, T_mult: int = 1,
                     eta_min: float = 0.0, last_epoch: int = -1): ...

With t the number of step() calls so far (t = 0 right after construction) and base_lr each
parameter group's initial learning rate, each group's learning rate is:
  - while t < warmup_steps:  lr = base_lr * (t + 1) / warmup_steps
  - otherwise, with s = t - warmup_steps, the value of
    torch.optim.lr_scheduler.CosineAnnealingWarmRestarts(T_0, T_mult, eta_min) at step s:
        lr = eta_min + (base_lr - eta_min) * (1 + cos(pi * T_cur / T_i)) / 2
    where cycle i has length T_i = T_0 * T_mult**i and T_cur is the position inside it
    (T_cur = 0 at s = 0; at the end of a cycle T_cur goes back to 0 and the next cycle starts).

Requirements:
  - warmup_steps = 0 means pure SGDR from the start.
  - get_last_lr() works.
  - state_dict() / load_state_dict() resume the schedule exactly.
  - With several parameter groups, each follows its own base_lr.
  - warmup_steps < 0, T_0 < 1, T_mult < 1 or eta_min < 0 → ValueError.
  - Used like any scheduler: scheduler.step() after optimizer.step().

Check your work: ./grade ex9
"""

from __future__ import annotations

import math

import torch
from torch.optim.lr_scheduler import LRScheduler


class WarmupCosineRestarts(LRScheduler):
    def __init__(self, optimizer: torch.optim.Optimizer, warmup_steps: int, T_0: int, T_mult: int = 1,
                 eta_min: float = 0.0, last_epoch: int = -1) -> None:
        raise NotImplementedError

    def get_lr(self) -> list[float]:
        raise NotImplementedError
