"""演習 26 — 教科書の EarlyStopping のバグを直す / Exercise 26 — fix the bugs in the chapter's EarlyStopping

【課題】下のクラスは教科書（第4章「Early StoppingとCheckpointing」）に載っている EarlyStopping を
そのまま写したものです。このコードは動きます（この課題はいまの状態でも何点か取れます）が、
バグが 2 つあります。症状は次のとおりです。

  1. restore_best_weights=True で早期終了したのに、モデルに戻ってくる重みが「最良のエポックの
     重み」ではなく「最後のエポックの重み」になっている。オプティマイザが重みを更新するたびに、
     保存したはずの「最良の重み」まで一緒に変わってしまうようです。
  2. 検証損失が NaN（学習が発散したとき）になると、その NaN が「最良の損失」になり、
     その後は何が起きても早期終了しない。

2 つのバグを見つけて直してください。それ以外は何も変えません: クラス名、引数と既定値
（patience=7, min_delta=0, restore_best_weights=True）、属性の名前、表示するメッセージ、
戻り値は教科書のままです。直した後は次のように振る舞います。

  - 復元される重みは、最後に改善したエポックで渡されたときの重み（パラメータとバッファ、
    BatchNorm の running_mean なども）と完全に一致し、保存した重みはモデルとメモリを共有しない。
  - NaN の損失は改善ではなく、best_loss にもなりません。改善しなかったエポックと同じく
    counter を 1 増やし、「EarlyStopping counter: ...」のメッセージを表示します。
  - 有限の損失を 1 度も見ないうちに patience が尽きたら、復元するもの（ベスト）がないので
    何も復元しません（エラーにもしません）。early_stop は True になります。
  - 同じ値（タイ）は教科書どおり改善とみなします（val_loss > best_loss - min_delta でなければ改善）。
  - 教科書が正しく書いている部分（counter、early_stop、戻り値、メッセージ、
    restore_best_weights=False のとき何も戻さないこと）はそのまま保ちます。

[Task] The class below is the chapter's EarlyStopping (chapter 4, "Early Stopping and
Checkpointing"), copied as printed. It runs (this exercise scores a few points as it is),
but it has two bugs. Their symptoms:

  1. With restore_best_weights=True, the weights put back into the model when training stops
     are the last epoch's, not the best epoch's: the saved "best weights" seem to change
     every time the optimizer updates the model.
  2. When the validation loss is NaN (training diverged), the NaN becomes the best loss, and
     from then on training never stops early.

Find both bugs and fix them. Change nothing else: the class name, the arguments and their
defaults (patience=7, min_delta=0, restore_best_weights=True), the attribute names, the
printed messages and the return values stay as in the textbook. Once fixed:

  - The restored weights equal exactly those the model had when it was passed in at the last
    improving epoch (parameters and buffers, e.g. BatchNorm's running_mean), and the stored
    weights share no memory with the model.
  - A NaN loss is never an improvement nor the best_loss: like any epoch without
    improvement it adds 1 to counter and prints the "EarlyStopping counter: ..." message.
  - If patience runs out before any finite loss was seen, there is no best, so nothing is
    restored (and nothing fails); early_stop becomes True.
  - A tie still counts as an improvement, as in the textbook (it improves unless
    val_loss > best_loss - min_delta).
  - Everything the textbook got right (counter, early_stop, return values, messages, and
    restoring nothing when restore_best_weights=False) stays as it is.

Check your work: ./grade ex26
"""

import torch
import numpy as np

class EarlyStopping:
    """Early Stoppingを実装するクラス（PyTorch用）"""

    def __init__(self, patience=7, min_delta=0, restore_best_weights=True):
        """
        Args:
            patience: 改善しないエポック数
            min_delta: 改善と判定する最小変化量
            restore_best_weights: 最良の重みを復元するか
        """
        self.patience = patience
        self.min_delta = min_delta
        self.restore_best_weights = restore_best_weights

        self.counter = 0
        self.best_loss = None
        self.early_stop = False
        self.best_weights = None

    def __call__(self, val_loss, model):
        """
        Args:
            val_loss: 検証損失
            model: モデル

        Returns:
            早期停止すべきかどうか
        """
        if self.best_loss is None:
            self.best_loss = val_loss
            self.save_checkpoint(model)
        elif val_loss > self.best_loss - self.min_delta:
            self.counter += 1
            print(f'EarlyStopping counter: {self.counter}/{self.patience}')
            if self.counter >= self.patience:
                self.early_stop = True
                if self.restore_best_weights:
                    print('最良の重みを復元します')
                    model.load_state_dict(self.best_weights)
        else:
            self.best_loss = val_loss
            self.save_checkpoint(model)
            self.counter = 0

        return self.early_stop

    def save_checkpoint(self, model):
        """ベストモデルを保存"""
        if self.restore_best_weights:
            self.best_weights = model.state_dict().copy()
