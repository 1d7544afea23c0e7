"""演習 10 — チェックポイントの保存と再開 / Exercise 10 — save and resume a training checkpoint

【課題】学習を途中から正確に再開できるチェックポイントを保存・読み込みする 2 つの関数を
実装してください。

    def save_checkpoint(path, model, optimizer, epoch: int, loss: float, scheduler=None) -> None: ...
    def load_checkpoint(path, model, optimizer=None, scheduler=None,
                        map_location=None) -> tuple[int, float]: ...

- save_checkpoint は path に次のキーを持つ辞書を torch.save で保存します:
  "epoch"、"model_state_dict"（model.state_dict()）、"optimizer_state_dict"
  （optimizer.state_dict()）、"loss"。scheduler が渡されたときだけ
  "scheduler_state_dict"（scheduler.state_dict()）も加えます（None なら、このキーは作りません）。
  ファイルは `torch.load(path, weights_only=True)` で読み込めること。
- 保存はアトミックに行います: 書き込みが途中で失敗しても（ディスクが一杯になる、保存する
  オブジェクトの変換に失敗する、など）、path にあった前回のチェックポイントは壊れずに残ること。
  path のファイルにその場で書き込むことはせず、書き終えた新しいファイルと差し替えます
  （保存中に前回のファイルを読んでいる人にも、壊れたファイルは見えません）。
  ヒント: 同じフォルダの一時ファイルに書き、書き終えてから os.replace で path に置き換えます。
- load_checkpoint は path のチェックポイントを読み込み、渡されたもの（model、そして None で
  なければ optimizer と scheduler）の状態を復元し、`(epoch, loss)` を返します。
  map_location は torch.load の map_location としてそのまま使います（例: GPU で保存した
  チェックポイントを CPU で読む）。
- ファイルが無いときは FileNotFoundError。
- 再開は正確であること: k ステップ学習 → 保存 → 新しく作った model / optimizer / scheduler に
  読み込み → 残り N−k ステップ、の結果が、続けて N ステップ学習した結果とビット単位で一致します
  （Adam とスケジューラを使う場合も）。

[Task] Implement two functions that save and load a checkpoint from which training resumes
exactly where it stopped.

    def save_checkpoint(path, model, optimizer, epoch: int, loss: float, scheduler=None) -> None: ...
    def load_checkpoint(path, model, optimizer=None, scheduler=None,
                        map_location=None) -> tuple[int, float]: ...

- save_checkpoint saves with torch.save, at path, a dict with the keys "epoch",
  "model_state_dict" (model.state_dict()), "optimizer_state_dict" (optimizer.state_dict())
  and "loss"; plus "scheduler_state_dict" (scheduler.state_dict()) only when a scheduler is
  given (with None, that key is not there). The file loads with
  `torch.load(path, weights_only=True)`.
- Saving is atomic: if writing fails part-way (a full disk, an object that fails to
  serialize, ...), the previous checkpoint at path is left intact. The file at path is never
  written in place: a complete new file takes its place (so whoever is reading the previous
  file during a save never sees a half-written one).
  Hint: write to a temporary file in the same folder, then os.replace it onto path.
- load_checkpoint reads the checkpoint at path, restores the state of what it is given
  (model, and optimizer and scheduler when they are not None) and returns `(epoch, loss)`.
  map_location is used as torch.load's map_location (e.g. to read on a CPU a checkpoint
  saved on a GPU).
- A missing file raises FileNotFoundError.
- Resuming is exact: k steps, save, load into a freshly built model / optimizer / scheduler,
  N−k more steps gives bitwise the same result as N steps straight (with Adam and a
  learning-rate scheduler too).

Check your work: ./grade ex10
"""

from __future__ import annotations

import os

import torch
from torch import nn


def save_checkpoint(path: str | os.PathLike, model: nn.Module, optimizer: torch.optim.Optimizer,
                    epoch: int, loss: float, scheduler: torch.optim.lr_scheduler.LRScheduler | None = None) -> None:
    raise NotImplementedError


def load_checkpoint(path: str | os.PathLike, model: nn.Module, optimizer: torch.optim.Optimizer | None = None,
                    scheduler: torch.optim.lr_scheduler.LRScheduler | None = None,
                    map_location=None) -> tuple[int, float]:
    raise NotImplementedError
