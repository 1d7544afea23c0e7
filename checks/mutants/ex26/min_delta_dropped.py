# Mutant: rewrites the test as `val_loss > self.best_loss` and loses min_delta.
import copy
import math

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
        if self.best_loss is None and not math.isnan(val_loss):  # fix 2: NaN is never the first best
            self.best_loss = val_loss
            self.save_checkpoint(model)
        elif math.isnan(val_loss) or val_loss > self.best_loss:  # fix 2: NaN is no improvement
            self.counter += 1
            print(f'EarlyStopping counter: {self.counter}/{self.patience}')
            if self.counter >= self.patience:
                self.early_stop = True
                if self.restore_best_weights and self.best_weights is not None:  # no best: nothing to restore
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
            self.best_weights = copy.deepcopy(model.state_dict())  # fix 1: the tensors, not only the dict
