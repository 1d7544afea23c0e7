# Mutant: converts with torch.as_tensor(data, dtype=torch.float32), which shares a float32 caller's memory, then normalises in place (sub_/div_), modifying the caller's array.
from __future__ import annotations
import numpy as np
import torch
from torch.utils.data import Dataset

class NormalizedDataset(Dataset):
    def __init__(self, data, labels, mean=None, std=None):
        data = np.asarray(data); labels = np.asarray(labels)
        if data.ndim != 2: raise ValueError("data must be 2-D")
        if len(data) != len(labels): raise ValueError("length mismatch")
        x = torch.as_tensor(data, dtype=torch.float32)
        m = x.mean(0) if mean is None else torch.as_tensor(mean, dtype=torch.float32)
        s = x.std(0, unbiased=False) if std is None else torch.as_tensor(std, dtype=torch.float32)
        self.mean, self.std = m.numpy().copy(), s.numpy().copy()
        s = torch.where(s == 0, torch.ones_like(s), s)
        x.sub_(m).div_(s)
        self.x = x
        self.y = torch.as_tensor(labels.astype(np.int64))
    def __len__(self): return len(self.x)
    def __getitem__(self, i): return self.x[i], self.y[i]
