"""演習 8 — 深さ可変の残差 MLP / Exercise 8 — a residual MLP of any depth

【課題】残差接続（residual connection）とドロップアウトを持ち、ブロック数（深さ）を
引数で変えられる MLP `ResidualMLP` を実装してください。

    class ResidualMLP(nn.Module):
        def __init__(self, in_features: int, hidden_features: int, out_features: int,
                     depth: int, dropout: float = 0.1): ...
        blocks: nn.ModuleList      # ちょうど depth 個のブロック

順伝播 forward(x)（x の形は (バッチ, in_features)、出力は (バッチ, out_features)）:
  1. h = input_proj(x)            — nn.Linear(in_features → hidden_features)。活性化はなし
  2. 各ブロック: h = h + Dropout(ReLU(Linear(h)))
                                  — Linear は hidden_features → hidden_features（バイアスあり）
  3. 出力 = head(h)               — nn.Linear(hidden_features → out_features)。活性化はなし

要件:
  - `self.blocks` は nn.ModuleList で、長さはちょうど depth。depth = 0 も有効です
    （そのとき出力は head(input_proj(x))）。
  - パラメータ数は in*hid + hid + depth*(hid*hid + hid) + hid*out + out。
  - ブロックの Linear の重みとバイアスをすべて 0 にすると、そのブロックは恒等写像になります。
  - ドロップアウト（確率 dropout）は学習時（model.train()）だけ効き、評価時（model.eval()）の
    出力は決定的です。
  - depth = 64 でも勾配が input_proj まで届くこと（残差接続のおかげです）。
  - depth < 0、または dropout が [0, 1) の外なら ValueError。
  - model.to(...) ですべてのパラメータが移動すること（サブモジュールとして登録する）。

[Task] Implement `ResidualMLP`, an MLP with residual connections and dropout whose number
of blocks (its depth) is an argument.

    class ResidualMLP(nn.Module):
        def __init__(self, in_features: int, hidden_features: int, out_features: int,
                     depth: int, dropout: float = 0.1): ...
        blocks: nn.ModuleList      # exactly `depth` blocks

forward(x) (x of shape (batch, in_features), output of shape (batch, out_features)):
  1. h = input_proj(x)            — nn.Linear(in_features → hidden_features), no activation
  2. each block: h = h + Dropout(ReLU(Linear(h)))
                                  — a Linear hidden_features → hidden_features (with bias)
  3. output = head(h)             — nn.Linear(hidden_features → out_features), no activation

Requirements:
  - `self.blocks` is an nn.ModuleList of exactly `depth` blocks; depth = 0 is valid (the
    output is then head(input_proj(x))).
  - Number of parameters: in*hid + hid + depth*(hid*hid + hid) + hid*out + out.
  - Setting a block's Linear weight and bias to zero makes that block the identity.
  - Dropout (probability `dropout`) acts only in training (model.train()); in evaluation
    (model.eval()) the output is deterministic.
  - Gradients reach input_proj even at depth 64 (thanks to the residual connections).
  - depth < 0, or dropout outside [0, 1) → ValueError.
  - model.to(...) moves every parameter (register the sub-modules).

Check your work: ./grade ex8
"""

from __future__ import annotations

import torch
from torch import nn


class ResidualMLP(nn.Module):
    def __init__(self, in_features: int, hidden_features: int, out_features: int,
                 depth: int, dropout: float = 0.1) -> None:
        super().__init__()
        raise NotImplementedError

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        raise NotImplementedError
