# Style: np.divide(..., where=std != 0) into a zeros buffer (constant features stay 0), statistics kept in the data's float precision, items made per access with torch.tensor.
from __future__ import annotations

import numpy as np
import torch
from torch.utils.data import Dataset


class NormalizedDataset(Dataset):
    def __init__(self, data: np.ndarray, labels: np.ndarray,
                 mean: np.ndarray | None = None, std: np.ndarray | None = None) -> None:
        if np.ndim(data) != 2:
            raise ValueError("data must have shape (N, F)")
        if len(data) != len(labels):
            raise ValueError(f"{len(data)} samples but {len(labels)} labels")
        x = np.array(data, dtype=np.float64)
        self.mean = x.mean(axis=0) if mean is None else np.asarray(mean, dtype=np.float64)
        self.std = x.std(axis=0) if std is None else np.asarray(std, dtype=np.float64)
        self.data = np.divide(x - self.mean, self.std, out=np.zeros_like(x), where=self.std != 0)
        self.labels = np.array(labels, dtype=np.int64)

    def __len__(self) -> int:
        return self.data.shape[0]

    def __getitem__(self, idx: int):
        return (torch.tensor(self.data[idx], dtype=torch.float32),
                torch.tensor(self.labels[idx], dtype=torch.long))
