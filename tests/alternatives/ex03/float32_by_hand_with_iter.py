# Style: std computed by hand as sqrt(mean of squared deviations) in float32 numpy, sqrt(var + 1e-12) guard, a generator-based __iter__ in addition, __getitem__ via numpy then torch.from_numpy.
import numpy as np
import torch
from torch.utils.data import Dataset


class NormalizedDataset(Dataset):
    def __init__(self, data, labels, mean=None, std=None):
        data = np.asarray(data)
        labels = np.asarray(labels)
        if data.ndim != 2:
            raise ValueError("data must be 2-dimensional")
        if len(labels) != len(data):
            raise ValueError("data and labels must be the same length")
        x = data.astype(np.float32)
        if mean is None:
            mean = x.sum(axis=0) / np.float32(len(x))
        if std is None:
            std = np.sqrt(((x - mean) ** 2).sum(axis=0) / np.float32(len(x)))
        self.mean = np.asarray(mean)
        self.std = np.asarray(std)
        self._x = ((x - self.mean) / np.sqrt(self.std.astype(np.float64) ** 2 + 1e-12)).astype(np.float32)
        self._y = labels.astype(np.int64)

    def __len__(self):
        return len(self._y)

    def __getitem__(self, idx):
        return torch.from_numpy(self._x[idx]), torch.from_numpy(np.array(self._y[idx]))

    def __iter__(self):
        for i in range(len(self)):
            yield self[i]
