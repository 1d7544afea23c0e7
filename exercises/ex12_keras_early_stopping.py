"""演習 12 — Keras 版 Early Stopping + チェックポイント / Exercise 12 — Keras early stopping with checkpoints

【課題】演習 5 の EarlyStoppingWithCheckpoint を、Keras のコールバックとして実装してください。

  class EarlyStoppingCheckpoint(keras.callbacks.Callback):
      def __init__(self, checkpoint_path: str, patience: int = 5, monitor: str = "val_loss",
                   min_delta: float = 0.0, verbose: bool = False): ...
      best: float | None          # これまでで最良の監視値（まだ無ければ None）
      wait: int                   # 改善しなかったエポックが続いた数
      best_epoch: int | None      # 最良だったエポックの番号（0 始まり、まだ無ければ None）
      stopped_epoch: int | None   # 学習を止めたエポックの番号（止めていなければ None）

- on_train_begin: best = None、wait = 0、best_epoch = None、stopped_epoch = None に
  リセットします（同じコールバックで fit を何度呼んでも、毎回最初から数えます）。
- on_epoch_end(epoch, logs): logs[monitor] の値 v を見ます（小さいほど良い）。
  「best が None か、v < best - min_delta」なら改善です（厳密な不等号）。v が NaN のときは
  決して改善ではなく、best にもなりません。
  - 改善: best = v、wait = 0、best_epoch = epoch とし、
    self.model.save_weights(checkpoint_path) で重みを保存します（パスは .weights.h5 で終わる）。
  - 改善なし: wait += 1。wait >= patience になったら self.model.stop_training = True、
    stopped_epoch = epoch とします。
  - logs に monitor のキーが無いとき: 警告（warnings.warn）を出し、そのエポックは何も
    変えずに飛ばします。
- on_train_end: 保存した最良の重みをモデルに読み込みます（一度も保存していなければ何もしません）。
- verbose=False なら何も表示しません。

[Task] Write exercise 5's EarlyStoppingWithCheckpoint as a Keras callback.

  class EarlyStoppingCheckpoint(keras.callbacks.Callback):
      def __init__(self, checkpoint_path: str, patience: int = 5, monitor: str = "val_loss",
                   min_delta: float = 0.0, verbose: bool = False): ...
      best: float | None          # the best monitored value so far (None before any)
      wait: int                   # how many epochs in a row did not improve
      best_epoch: int | None      # the epoch (0-based) of the best value (None before any)
      stopped_epoch: int | None   # the epoch at which training was stopped (None if not)

- on_train_begin: reset best = None, wait = 0, best_epoch = None, stopped_epoch = None (each
  fit with the same callback counts from scratch).
- on_epoch_end(epoch, logs): read v = logs[monitor] (lower is better). The epoch improves iff
  "best is None or v < best - min_delta" (strict). A NaN never improves nor becomes best.
  - Improvement: best = v, wait = 0, best_epoch = epoch, and save the weights with
    self.model.save_weights(checkpoint_path) (the path ends in .weights.h5).
  - No improvement: wait += 1; when wait >= patience, set self.model.stop_training = True
    and stopped_epoch = epoch.
  - The monitor key is missing from logs: issue a warning (warnings.warn) and skip the
    epoch, changing nothing.
- on_train_end: load the saved best weights back into the model (nothing to do if none
  was ever saved).
- verbose=False prints nothing.

Check your work: ./grade ex12
"""

import keras


class EarlyStoppingCheckpoint(keras.callbacks.Callback):
    def __init__(self, checkpoint_path: str, patience: int = 5, monitor: str = "val_loss",
                 min_delta: float = 0.0, verbose: bool = False) -> None:
        super().__init__()
        raise NotImplementedError

    def on_train_begin(self, logs: dict | None = None) -> None:
        raise NotImplementedError

    def on_epoch_end(self, epoch: int, logs: dict | None = None) -> None:
        raise NotImplementedError

    def on_train_end(self, logs: dict | None = None) -> None:
        raise NotImplementedError
