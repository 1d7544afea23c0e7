"""演習 15 — 勾配累積 / Exercise 15 — gradient accumulation

【教科書では】backward() を 2 回呼ぶと勾配は足し込まれます（「二回目の計算（勾配が累積される）」、
003 勾配累積）。これを利用したのが「勾配蓄積（メモリ不足時）」（004 パフォーマンス最適化Tips）で、
教科書は次のように書いています:

    accumulation_steps = 4
    for i, (data, target) in enumerate(train_loader):
        output = model(data)
        loss = criterion(output, target)
        loss = loss / accumulation_steps  # 損失のスケーリング
        loss.backward()
        if (i+1) % accumulation_steps == 0:
            optimizer.step()
            optimizer.zero_grad()

このコードには 2 つの穴があります。ループの前に .grad に残っていた勾配が最初のステップに混ざり、
最後の accumulation_steps 個に満たない余りのミニバッチは step されずに捨てられます。
1 epoch = iteration（ステップ）の回数 × バッチ、の関係（004 epochとiterationとbatchsize）も
ここでは「ステップ数 = ⌈ミニバッチ数 / accum_steps⌉」になります。

【課題】この 2 つの穴をふさいだ勾配累積の学習関数 train_accumulated を実装してください。

    def train_accumulated(model: nn.Module, optimizer: torch.optim.Optimizer, loss_fn,
                          micro_batches: Iterable[tuple[Tensor, Tensor]], accum_steps: int) -> list[float]:

- micro_batches を 1 回だけ通して読みます（リストとは限らず、ジェネレータなど 1 回しか
  反復できない iterable のこともあります。len() は使えません）。
- ミニバッチ（micro-batch）を accum_steps 個ずつのグループにまとめ、グループごとに:
  - 勾配はゼロから始めます（呼び出す前から .grad に残っている勾配も混ぜない）。
  - 各ミニバッチの損失 loss_fn(model(x), y) をグループの大きさ k で割って backward します。
  - そのあと optimizer.step() を 1 回だけ呼びます。
- 最後のグループが accum_steps 個に満たなくても step します。そのときは自分の大きさ k で割ります。
- 戻り値はステップごとに、そのグループの k 個のミニバッチ損失の平均（Python の float のリスト）。
  ミニバッチ損失は、ミニバッチの大きさにかかわらず loss_fn が返した値そのものです。
- accum_steps < 1 なら ValueError を送出してください。ミニバッチが 1 つもなければ [] を返し、
  step しません。
- 性質: ミニバッチの大きさがそろっていて普通の SGD なら、この関数の後のパラメータは
  「各グループのサンプルを連結して 1 回 step」を繰り返したときと一致します（float64 で 1e-10）。
  optimizer.step() の回数は ⌈n / accum_steps⌉（n はミニバッチ数）です。

[From the textbook] Calling backward() twice adds the gradients up ("the second computation
(the gradients accumulate)", 003). "Gradient accumulation (when memory is short)" (004,
performance tips) builds on it, with the loop shown above. That loop has two holes:
gradients left in .grad before the loop leak into the first step, and the last few
micro-batches, fewer than accumulation_steps, are never stepped on. The epoch / iteration
/ batch size relation (004) becomes "number of steps = ⌈micro-batches / accum_steps⌉".

[Task] Implement train_accumulated, gradient accumulation with both holes closed.

    def train_accumulated(model: nn.Module, optimizer: torch.optim.Optimizer, loss_fn,
                          micro_batches: Iterable[tuple[Tensor, Tensor]], accum_steps: int) -> list[float]:

- One pass over micro_batches (any iterable, consumed once: it may be a generator that
  can be iterated only once; len() is not available).
- Micro-batches are grouped accum_steps at a time; for each group:
  - gradients start from zero (stale .grad from before the call never leaks in);
  - each micro-batch's loss_fn(model(x), y) is divided by the group's size k and
    back-propagated;
  - then optimizer.step() is called once.
- A final group with fewer than accum_steps micro-batches still steps, divided by its own k.
- Return, per step, the mean of the group's k micro-batch losses (a list of Python floats);
  each micro-batch loss is loss_fn's own value, whatever the micro-batch's size.
- accum_steps < 1 raises ValueError; no micro-batch at all returns [] and does not step.
- Property: with equal micro-batch sizes and plain SGD, the parameters after the pass equal
  (float64, 1e-10) those of stepping once per group on the group's concatenated samples;
  optimizer.step() is called ⌈n / accum_steps⌉ times (n micro-batches).

Check your work: ./grade ex15
"""

from __future__ import annotations

from typing import Iterable

import torch
from torch import Tensor, nn


def train_accumulated(model: nn.Module, optimizer: torch.optim.Optimizer, loss_fn,
                      micro_batches: Iterable[tuple[Tensor, Tensor]], accum_steps: int) -> list[float]:
    """グループごとの平均損失のリスト / the mean loss of each group, one per optimizer step."""
    raise NotImplementedError
