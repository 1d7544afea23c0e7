"""演習 5 — Early Stopping とチェックポイント / Exercise 5 — early stopping with checkpointing

【教科書との違い】この課題は教科書（第4章 演習問題 問題5）の問題に、引数 min_delta、テンソルの損失の
受け付け、親フォルダの作成、model を返し保存前なら FileNotFoundError を送出する load_best_model、
不正な引数への ValueError を加えています。また、教科書の解答例はこの課題の正解ではありません:
最初の損失が NaN だとそれを best_loss にしてしまい、その後どの損失も改善とみなされません
（この課題では NaN は決して改善になりません）。

【課題】Early Stopping と Model Checkpointing を組み合わせたクラス
EarlyStoppingWithCheckpoint を実装してください。学習ループの中で毎エポック
`early_stopping(val_loss, model)` と呼び、戻り値が True になったら学習を止めます。
学習の終わりに `early_stopping.load_best_model(model)` でベストモデルを復元します。

    class EarlyStoppingWithCheckpoint:
        def __init__(self, patience: int = 5,
                     checkpoint_path: str | os.PathLike = "best_model.pth",
                     verbose: bool = True, min_delta: float = 0.0): ...
        best_loss: float | None   # これまでの最良の検証損失（まだなければ None）
        counter: int              # 改善しなかったエポックの連続回数
        early_stop: bool          # 停止すべきなら True
        def __call__(self, val_loss: float | Tensor, model: nn.Module) -> bool: ...
        def load_best_model(self, model: nn.Module) -> nn.Module: ...

- 作った直後は best_loss = None、counter = 0、early_stop = False。
- 改善の判定: `best_loss is None or val_loss < best_loss - min_delta`（厳密な不等号 <）。
  ただし NaN は決して改善とみなさず、best_loss にもしません。
  val_loss は Python の float でも 0 次元テンソル（例: criterion(...) の結果）でも受け付け、
  best_loss には Python の float として記録します。
- 改善したとき: best_loss = val_loss、counter = 0 とし、その時点の `model.state_dict()` を
  `torch.save` で checkpoint_path に保存します（親フォルダが無ければ作ります）。
  保存したファイルは `torch.load(path, weights_only=True)` で読み込めること。
- 改善しなかったとき: counter += 1。counter >= patience になったら early_stop = True。
- `__call__` は early_stop を返します。一度 True になったら、その後もずっと True です。
- `load_best_model(model)`: 保存したベストの重みを model（同じ構造の別のインスタンスでもよく、
  どのデバイス上にあってもよい）に読み込み、その model を返します。まだチェックポイントが
  無いときは、分かりやすいメッセージ付きの FileNotFoundError を送出します。
- patience < 1 または min_delta < 0 のときは ValueError。
- verbose=False のときは何も表示（print）しません。

[Beyond the textbook] This exercise adds to the textbook's problem (chapter 4, exercise 5) the
min_delta parameter, accepting tensor losses, creating missing parent folders, a load_best_model
that returns the model and raises FileNotFoundError before any checkpoint, and a ValueError for
invalid arguments. The textbook's printed answer is not the solution either: a NaN first loss
becomes best_loss, and no later loss ever counts as an improvement (here a NaN never improves).

[Task] Implement EarlyStoppingWithCheckpoint, which combines early stopping and model
checkpointing. A training loop calls `early_stopping(val_loss, model)` once per epoch and
stops when it returns True; at the end, `early_stopping.load_best_model(model)` restores the
best model.

    class EarlyStoppingWithCheckpoint:
        def __init__(self, patience: int = 5,
                     checkpoint_path: str | os.PathLike = "best_model.pth",
                     verbose: bool = True, min_delta: float = 0.0): ...
        best_loss: float | None   # best validation loss so far (None before the first)
        counter: int              # consecutive epochs without improvement
        early_stop: bool          # True when training should stop
        def __call__(self, val_loss: float | Tensor, model: nn.Module) -> bool: ...
        def load_best_model(self, model: nn.Module) -> nn.Module: ...

- Right after construction: best_loss = None, counter = 0, early_stop = False.
- An epoch improves iff `best_loss is None or val_loss < best_loss - min_delta` (strict <),
  and a NaN loss never improves nor becomes the best. val_loss may be a Python float or a
  0-d tensor (e.g. what criterion(...) returns); best_loss is stored as a Python float.
- On improvement: best_loss = val_loss, counter = 0, and `model.state_dict()` as it is at
  that moment is saved with `torch.save` at checkpoint_path (creating missing parent
  folders). The file loads with `torch.load(path, weights_only=True)`.
- Otherwise: counter += 1; when counter >= patience, early_stop = True.
- `__call__` returns early_stop, which stays True once it has been set.
- `load_best_model(model)` loads the best weights into `model` (any instance of the same
  architecture, on whatever device it lives) and returns that model. Before any checkpoint
  exists it raises FileNotFoundError with a clear message.
- patience < 1 or min_delta < 0 raises ValueError.
- With verbose=False nothing is printed.

Check your work: ./grade ex5
"""

from __future__ import annotations

import os

import torch
from torch import Tensor, nn


class EarlyStoppingWithCheckpoint:
    def __init__(self, patience: int = 5, checkpoint_path: str | os.PathLike = "best_model.pth",
                 verbose: bool = True, min_delta: float = 0.0) -> None:
        raise NotImplementedError

    def __call__(self, val_loss: float | Tensor, model: nn.Module) -> bool:
        raise NotImplementedError

    def load_best_model(self, model: nn.Module) -> nn.Module:
        raise NotImplementedError
