"""演習 2 — 学習ループのバグを直す / Exercise 2 — fix the training loop

【教科書との違い】教科書（第4章 演習問題 問題2）ではこのループはスクリプトのままですが、この課題では
それを関数 train にし、渡された batches で学習して各ステップの損失を返します。解答例のスクリプトを
そのまま貼るのではなく、解答例と同じ 2 つの修正をこの関数の中で行ってください。

【課題】下の関数 train には、教科書（第4章 演習問題 問題2）の学習ループがそのまま入っていて、
バグが 2 つあります。バグを直し、次の仕様を満たす関数にしてください。

    def train(model: nn.Module, optimizer: torch.optim.Optimizer,
              batches: Iterable[tuple[Tensor, Tensor]]) -> list[float]:

  - batches の (x, y) を順番に 1 つずつ取り出し、バッチごとにちょうど 1 回
    optimizer.step() を呼んで、平均二乗誤差（MSE、reduction は平均 "mean"）を小さくします。
  - 各ステップの更新には、そのバッチの勾配だけを使います。train を呼ぶ前から .grad に
    残っている古い勾配や、前のステップの勾配が混ざってはいけません。
  - 戻り値は各ステップの損失のリストです。損失はそのステップの更新「前」に計算した値で、
    テンソルではなく Python の float にします。
  - batches が空なら [] を返し、optimizer.step() は一度も呼びません。
  - batches はリストとは限りません（ジェネレータなど、1 回しか反復できないこともあります）。

[Beyond the textbook] In the textbook (chapter 4, exercise 2) this loop is a script; here it is
the function train, which trains on the batches it is given and returns each step's loss. Do not
paste the textbook's printed answer, a script: make its two fixes inside this function.

[Task] The function train below holds the textbook's training loop (chapter 4, exercise 2)
as it is, with two bugs. Fix them so that the function meets this specification:

    def train(model: nn.Module, optimizer: torch.optim.Optimizer,
              batches: Iterable[tuple[Tensor, Tensor]]) -> list[float]:

  - Take each (x, y) from batches in order and, for every batch, call optimizer.step()
    exactly once to reduce the mean squared error (MSE with the "mean" reduction).
  - Each update uses the gradient of its own batch only: stale gradients already in
    .grad before train is called, or left by the previous step, must not leak in.
  - Return the list of the steps' losses. Each loss is measured before that step's
    update, as a Python float (not a tensor).
  - If batches is empty, return [] and never call optimizer.step().
  - batches is not necessarily a list (it may be a generator that can be iterated once).

Check your work: ./grade ex2
"""

from __future__ import annotations

from typing import Iterable

import torch
import torch.nn as nn
from torch import Tensor


def train(model: nn.Module, optimizer: torch.optim.Optimizer,
          batches: Iterable[tuple[Tensor, Tensor]]) -> list[float]:
    # この行を消してから、下のループのバグを直してください。
    # Delete this line, then fix the bugs in the loop below.
    raise NotImplementedError

    losses: list[float] = []
    for x, y in batches:
        output = model(x)
        loss = nn.MSELoss(output, y)
        loss.backward()
        optimizer.step()
        # TODO: このステップの損失を losses に加える / record this step's loss in losses
    return losses
