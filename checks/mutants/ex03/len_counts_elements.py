# Mutant: __len__ returns data.size (N·F elements) instead of the number of rows N.
from __future__ import annotations

import numpy as np
import torch
from torch import Tensor
from torch.utils.data import Dataset


class NormalizedDataset(Dataset):
    def __init__(self, data: np.ndarray, labels: np.ndarray,
                 mean: np.ndarray | None = None, std: np.ndarray | None = None) -> None:
        if data.ndim != 2:
            raise ValueError(f"data must be 2-D, got shape {data.shape}")
        if len(data) != len(labels):
            raise ValueError("data and labels have different lengths")
        x = data.astype(np.float64)
        self.mean = x.mean(axis=0) if mean is None else np.array(mean, dtype=np.float64)
        self.std = x.std(axis=0) if std is None else np.array(std, dtype=np.float64)
        self.features = torch.from_numpy(((x - self.mean) / (self.std + 1e-8)).astype(np.float32))
        self.labels = torch.from_numpy(labels.astype(np.int64))
        self.data = data

    def __len__(self) -> int:
        return self.data.size

    def __getitem__(self, idx: int) -> tuple[Tensor, Tensor]:
        return self.features[idx], self.labels[idx]
