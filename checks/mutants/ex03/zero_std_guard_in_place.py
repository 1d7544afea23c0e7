# Mutant: guards a zero std with std[std == 0] = 1 on the given array itself, modifying the caller's std.
from __future__ import annotations
import numpy as np
import torch
from torch.utils.data import Dataset

class NormalizedDataset(Dataset):
    def __init__(self, data, labels, mean=None, std=None):
        data = np.asarray(data); labels = np.asarray(labels)
        if data.ndim != 2: raise ValueError("data must be 2-D")
        if len(data) != len(labels): raise ValueError("length mismatch")
        x = data.astype(np.float64)
        self.mean = x.mean(0) if mean is None else mean
        self.std = x.std(0) if std is None else std
        self.std[self.std == 0] = 1.0
        self.x = torch.tensor((x - self.mean) / self.std, dtype=torch.float32)
        self.y = torch.tensor(labels.astype(np.int64))
    def __len__(self): return len(self.x)
    def __getitem__(self, i): return self.x[i], self.y[i]
