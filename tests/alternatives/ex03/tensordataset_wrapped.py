# Style: delegates to a TensorDataset, float32 data with float64 statistics, zero std replaced by 1 on a copy, extra helper methods (_validate, denormalize).
from __future__ import annotations
import numpy as np
import torch
from torch.utils.data import Dataset

from torch.utils.data import TensorDataset

class NormalizedDataset(Dataset):
    def __init__(self, data, labels, mean=None, std=None):
        data, labels = np.asarray(data), np.asarray(labels)
        self._validate(data, labels)
        x = data.astype(np.float32)
        self.mean = (x.mean(axis=0, dtype=np.float64) if mean is None else np.asarray(mean)).astype(np.float64)
        self.std = (x.std(axis=0, dtype=np.float64) if std is None else np.asarray(std)).astype(np.float64)
        scale = self.std.copy()
        scale[scale == 0.0] = 1.0
        z = (x - self.mean.astype(np.float32)) / scale.astype(np.float32)
        self._inner = TensorDataset(torch.from_numpy(np.ascontiguousarray(z, dtype=np.float32)),
                                    torch.from_numpy(labels.astype(np.int64)))

    @staticmethod
    def _validate(data, labels):
        if data.ndim != 2:
            raise ValueError("data must be 2-D")
        if labels.shape[0] != data.shape[0]:
            raise ValueError("labels do not match data")

    def denormalize(self, z):
        return z * torch.from_numpy(self.std).float() + torch.from_numpy(self.mean).float()

    def __len__(self):
        return len(self._inner)

    def __getitem__(self, idx):
        return self._inner[idx]
