# Mutant: normalises the caller's float array in place (data -= mean), modifying it.
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
        if data.dtype.kind != "f":
            data = data.astype(np.float64)
        self.mean = data.mean(axis=0) if mean is None else np.array(mean, dtype=np.float64)
        self.std = data.std(axis=0) if std is None else np.array(std, dtype=np.float64)
        data -= self.mean.astype(data.dtype)
        data /= (self.std + 1e-8).astype(data.dtype)
        self.features = torch.tensor(data, dtype=torch.float32)
        self.labels = torch.from_numpy(labels.astype(np.int64))

    def __len__(self) -> int:
        return len(self.labels)

    def __getitem__(self, idx: int) -> tuple[Tensor, Tensor]:
        return self.features[idx], self.labels[idx]
