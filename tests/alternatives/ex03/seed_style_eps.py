# Style: the textbook's solution (numpy statistics, std + 1e-8, torch.FloatTensor / torch.LongTensor), completed with the contract's checks.
from __future__ import annotations

import numpy as np
import torch
from torch import Tensor
from torch.utils.data import Dataset


class NormalizedDataset(Dataset):
    """正規化を適用するカスタムデータセット"""

    def __init__(self, data: np.ndarray, labels: np.ndarray,
                 mean: np.ndarray | None = None, std: np.ndarray | None = None) -> None:
        if data.ndim != 2:
            raise ValueError("data must be a 2-D array (N, features)")
        if len(data) != len(labels):
            raise ValueError("data and labels must have the same length")
        self.mean = data.mean(axis=0) if mean is None else mean
        self.std = data.std(axis=0) + 1e-8 if std is None else std  # ゼロ除算回避
        self.data = torch.FloatTensor((data - self.mean) / self.std)
        self.labels = torch.LongTensor(labels.astype(np.int64))

    def __len__(self) -> int:
        return len(self.data)

    def __getitem__(self, idx: int) -> tuple[Tensor, Tensor]:
        return self.data[idx], self.labels[idx]
