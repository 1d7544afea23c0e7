# Style: torch float32 throughout, mean via x.mean(dim=0), std as var(unbiased=False).sqrt(), zero std replaced by 1 with torch.where, items cloned, labels through torch.LongTensor.
import numpy as np
import torch
from torch.utils.data import Dataset


class NormalizedDataset(Dataset):
    def __init__(self, data: np.ndarray, labels: np.ndarray, mean=None, std=None):
        if getattr(data, "ndim", None) != 2:
            raise ValueError("data must be 2-D")
        if len(labels) != len(data):
            raise ValueError("len(labels) must equal len(data)")
        x = torch.tensor(data, dtype=torch.float32)
        m = x.mean(dim=0) if mean is None else torch.tensor(mean, dtype=torch.float32)
        s = x.var(dim=0, unbiased=False).sqrt() if std is None else torch.tensor(std, dtype=torch.float32)
        self.mean = m.numpy()
        self.std = s.numpy()
        self.features = (x - m) / torch.where(s == 0, torch.ones_like(s), s)
        self.labels = torch.LongTensor(np.asarray(labels, dtype=np.int64))

    def __len__(self):
        return self.features.shape[0]

    def __getitem__(self, idx):
        return self.features[idx].clone(), self.labels[idx].clone()
