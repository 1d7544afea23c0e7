# Mutant: tests whether mean/std were given by their truth value (mean.any(), std.all()), so a given all-zero mean is recomputed from data.
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
        self.mean = mean if mean is not None and mean.any() else x.mean(0)
        self.std = std if std is not None and std.all() else x.std(0)
        s = np.where(self.std == 0, 1.0, self.std)
        self.x = torch.tensor((x - self.mean) / s, dtype=torch.float32)
        self.y = torch.tensor(labels, dtype=torch.long)
    def __len__(self): return len(self.x)
    def __getitem__(self, i): return self.x[i], self.y[i]
