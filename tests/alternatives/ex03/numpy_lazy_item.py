# Style: float64 copies, numpy normalisation per item in __getitem__, explicit range check raising IndexError, np.clip(std, 1e-7, None) guard.
from __future__ import annotations
import numpy as np
import torch
from torch.utils.data import Dataset

class NormalizedDataset(Dataset):
    def __init__(self, data, labels, mean=None, std=None):
        if np.ndim(data) != 2:
            raise ValueError("data must have shape (N, F)")
        if len(data) != len(labels):
            raise ValueError(f"{len(data)} samples but {len(labels)} labels")
        self.data = np.array(data, dtype=np.float64, copy=True)
        self.labels = np.array(labels, dtype=np.int64, copy=True)
        self.mean = np.mean(self.data, axis=0) if mean is None else np.array(mean, copy=True)
        self.std = np.std(self.data, axis=0, ddof=0) if std is None else np.array(std, copy=True)
        self._denominator = np.clip(self.std, 1e-7, None)

    def __len__(self) -> int:
        return self.data.shape[0]

    def _check(self, idx):
        n = len(self)
        if idx < -n or idx >= n:
            raise IndexError(f"index {idx} out of range for {n} samples")
        return idx + n if idx < 0 else idx

    def __getitem__(self, idx):
        idx = self._check(int(idx))
        x = (self.data[idx] - self.mean) / self._denominator
        return torch.tensor(x, dtype=torch.float32), torch.tensor(self.labels[idx])
