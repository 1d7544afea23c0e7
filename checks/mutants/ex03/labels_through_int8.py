# Mutant: converts labels through int8, so class ids above 127 wrap around.
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
        self.mean = x.mean(0) if mean is None else np.asarray(mean, float)
        self.std = x.std(0) if std is None else np.asarray(std, float)
        self.x = torch.tensor((x - self.mean) / np.where(self.std == 0, 1, self.std), dtype=torch.float32)
        self.y = torch.tensor(labels.astype(np.int8)).long()
    def __len__(self): return len(self.x)
    def __getitem__(self, i): return self.x[i], self.y[i]
