# Source: seeds/000_d572d89ee21d3211.txt, 演習問題 問題3 解答例 (as printed; the test code below the class, from "# テスト" on, removed).

import torch
from torch.utils.data import Dataset, DataLoader
import numpy as np

class NormalizedDataset(Dataset):
    """正規化を適用するカスタムデータセット"""

    def __init__(self, data, labels):
        """
        Args:
            data: NumPy配列 (N, features)
            labels: NumPy配列 (N,)
        """
        # データを正規化
        self.mean = data.mean(axis=0)
        self.std = data.std(axis=0) + 1e-8  # ゼロ除算回避
        self.data = (data - self.mean) / self.std
        self.labels = labels

        # PyTorchテンソルに変換
        self.data = torch.FloatTensor(self.data)
        self.labels = torch.LongTensor(self.labels)

    def __len__(self):
        return len(self.data)

    def __getitem__(self, idx):
        return self.data[idx], self.labels[idx]
