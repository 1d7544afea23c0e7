# Source: seeds/000_d572d89ee21d3211.txt, 演習問題 問題5 解答例 (as printed; the usage example below the class, from "# 使用例" on, removed).

import torch
import torch.nn as nn
import torch.optim as optim
import numpy as np

class EarlyStoppingWithCheckpoint:
    """Early StoppingとCheckpointingを統合したクラス"""

    def __init__(self, patience=5, checkpoint_path='best_model.pth', verbose=True):
        self.patience = patience
        self.checkpoint_path = checkpoint_path
        self.verbose = verbose

        self.counter = 0
        self.best_loss = None
        self.early_stop = False

    def __call__(self, val_loss, model):
        if self.best_loss is None or val_loss < self.best_loss:
            # 改善した場合
            if self.verbose:
                if self.best_loss is not None:
                    improvement = self.best_loss - val_loss
                    print(f'検証損失が改善: {self.best_loss:.4f} → {val_loss:.4f} ({improvement:.4f})')
                else:
                    print(f'初期ベストモデル: {val_loss:.4f}')

            self.best_loss = val_loss
            self.counter = 0

            # モデルを保存
            torch.save(model.state_dict(), self.checkpoint_path)
            if self.verbose:
                print(f'モデルを保存: {self.checkpoint_path}')
        else:
            # 改善しなかった場合
            self.counter += 1
            if self.verbose:
                print(f'EarlyStopping counter: {self.counter}/{self.patience}')

            if self.counter >= self.patience:
                self.early_stop = True
                if self.verbose:
                    print('Early Stopping発動！')

        return self.early_stop

    def load_best_model(self, model):
        """ベストモデルを読み込む"""
        model.load_state_dict(torch.load(self.checkpoint_path))
        if self.verbose:
            print(f'ベストモデルを復元: {self.checkpoint_path} (loss={self.best_loss:.4f})')
