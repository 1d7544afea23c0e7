"""演習 21 — weight decay のためのパラメータグループ / Exercise 21 — parameter groups for weight decay

【課題】教科書（000「損失関数とオプティマイザ」）は AdamW を「Weight Decayを改善したAdam」として
optim.AdamW(model.parameters(), lr=0.001, weight_decay=0.01) と紹介しています。
一方 004「Optimizer」の「よくあるエラーと対策」は、optimizer = Adam(model.parameters(),
weight_decay=1e-4) では「BatchNorm層にも適用される」ことを「パラメータグループの誤指定」として挙げ、
{'params': ..., 'weight_decay': 1e-4} と {'params': ..., 'weight_decay': 0} の 2 つの
パラメータグループに分ける書き方を示しています。
これを、どんなモデルにも使える関数にします。

    def param_groups(model: nn.Module, weight_decay: float) -> list[dict]

torch.optim.AdamW(param_groups(model, 0.01), lr=1e-3) のように使える、次の順の
パラメータグループのリストを返してください。
  1. {"params": [...], "weight_decay": weight_decay}
     — 学習対象で 2 次元以上のパラメータすべて（Linear / Conv / Embedding の重み）
  2. {"params": [...], "weight_decay": 0.0}
     — それ以外の学習対象のパラメータすべて（バイアス、LayerNorm / BatchNorm / GroupNorm の重みとバイアス）

要件:
  - 空になるグループはリストに入れません。
  - 凍結された（requires_grad=False の）パラメータはどちらのグループにも入れません。
  - 2 つのモジュールが共有するパラメータ（重み共有 / tied weights）は 1 回だけ入れます。
  - 各グループの中の順序は model.named_parameters() の順です。
  - weight_decay < 0 なら ValueError（0 は有効）。

[Task] The textbook (000, "loss functions and optimizers") introduces AdamW as "Adam with an
improved weight decay": optim.AdamW(model.parameters(), lr=0.001, weight_decay=0.01). Its
chapter 004 ("Optimizer", common mistakes) lists Adam(model.parameters(), weight_decay=1e-4)
as a "misconfigured parameter group", because the decay "is applied to the BatchNorm layers
too", and splits the parameters into two groups, {'params': ..., 'weight_decay': 1e-4} and
{'params': ..., 'weight_decay': 0}. Turn this into a function that works for any model.

    def param_groups(model: nn.Module, weight_decay: float) -> list[dict]

Return the parameter groups, in this order, to be used as
torch.optim.AdamW(param_groups(model, 0.01), lr=1e-3):
  1. {"params": [...], "weight_decay": weight_decay}
     — every trainable parameter with 2 or more dimensions (Linear / Conv / Embedding weights)
  2. {"params": [...], "weight_decay": 0.0}
     — every other trainable parameter (biases, LayerNorm / BatchNorm / GroupNorm weights and biases)

Requirements:
  - A group that would be empty is left out.
  - Frozen parameters (requires_grad=False) are in neither group.
  - A parameter shared by two modules (tied weights) appears once.
  - Within each group, parameters follow model.named_parameters() order.
  - weight_decay < 0 → ValueError (0 is valid).

Check your work: ./grade ex21
"""

from __future__ import annotations

from torch import nn


def param_groups(model: nn.Module, weight_decay: float) -> list[dict]:
    raise NotImplementedError
