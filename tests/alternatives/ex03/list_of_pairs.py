# Style: a Python list of precomputed (features, label) pairs, statistics clamped with np.maximum(std, 1e-6), indexing left to the list.
from __future__ import annotations

import numpy as np
import torch
from torch import Tensor
from torch.utils.data import Dataset


class NormalizedDataset(Dataset):
    def __init__(self, data, labels, mean=None, std=None) -> None:
        data = np.array(data, dtype=np.float64)  # np.array copies
        labels = np.array(labels)
        if len(data.shape) != 2 or len(data) != len(labels):
            raise ValueError("data must be (N, F) and labels (N,), with the same N")
        self.mean = np.mean(data, axis=0) if mean is None else np.asarray(mean)
        self.std = np.maximum(np.std(data, axis=0), 1e-6) if std is None else np.asarray(std)
        z = (data - self.mean) / self.std
        self.items = [(torch.tensor(row, dtype=torch.float32), torch.tensor(int(label), dtype=torch.int64))
                      for row, label in zip(z, labels)]

    def __len__(self) -> int:
        return len(self.items)

    def __getitem__(self, idx: int) -> tuple[Tensor, Tensor]:
        return self.items[idx]
