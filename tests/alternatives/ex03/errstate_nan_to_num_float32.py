# Style: divide under np.errstate, then NaN from 0/0 replaced by 0 with np.nan_to_num; stats stored as float32; tensor indices accepted (tutorial idiom).
import numpy as np
import torch
from torch.utils.data import Dataset


class NormalizedDataset(Dataset):
    def __init__(self, data, labels, mean=None, std=None):
        data = np.asarray(data)
        if data.ndim != 2 or data.shape[0] != np.shape(labels)[0]:
            raise ValueError(f"expected data (N, F) and labels (N,), got {data.shape} and {np.shape(labels)}")
        x = data.astype(np.float32)
        self.mean = (x.mean(axis=0) if mean is None else np.asarray(mean)).astype(np.float32)
        self.std = (x.std(axis=0) if std is None else np.asarray(std)).astype(np.float32)
        with np.errstate(divide="ignore", invalid="ignore"):
            z = (x - self.mean) / self.std
        self.x = torch.from_numpy(np.nan_to_num(z, nan=0.0, posinf=0.0, neginf=0.0))
        self.y = torch.from_numpy(np.asarray(labels).astype(np.int64))

    def __len__(self):
        return len(self.y)

    def __getitem__(self, idx):
        if torch.is_tensor(idx):
            idx = idx.tolist()
        return self.x[idx], self.y[idx]
