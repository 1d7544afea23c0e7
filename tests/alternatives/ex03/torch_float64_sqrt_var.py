# Style: torch float64 maths, std = sqrt(var(correction=0) + 1e-12), mean/std stored as float32 numpy, labels via torch.as_tensor(...).to(int64), cloned items, a print in __init__.
from __future__ import annotations
import numpy as np
import torch
from torch.utils.data import Dataset

class NormalizedDataset(Dataset):
    def __init__(self, data, labels, mean=None, std=None):
        if not isinstance(data, np.ndarray) or data.ndim != 2:
            raise ValueError(f"expected a 2-D array (N, F), got shape {np.shape(data)}")
        if data.shape[0] != np.shape(labels)[0]:
            raise ValueError("data and labels must have the same number of samples")
        t = torch.from_numpy(np.array(data, dtype=np.float64))
        if mean is None:
            m = t.mean(dim=0)
        else:
            m = torch.tensor(np.asarray(mean), dtype=torch.float64)
        if std is None:
            s = torch.sqrt(t.var(dim=0, correction=0) + 1e-12)
        else:
            s = torch.tensor(np.asarray(std), dtype=torch.float64)
        self.mean = m.numpy().astype(np.float32)
        self.std = s.numpy().astype(np.float32)
        self._features = ((t - m) / s).float()
        self._labels = torch.as_tensor(np.array(labels)).to(torch.int64)
        print(f"NormalizedDataset: {len(self)} samples, {t.shape[1]} features")

    def __len__(self):
        return self._features.shape[0]

    def __getitem__(self, idx):
        return self._features[idx].clone(), self._labels[idx].clone()
