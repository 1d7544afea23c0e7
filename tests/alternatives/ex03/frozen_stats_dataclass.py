# Style: a frozen dataclass for the statistics with a classmethod constructor, the dataset composed from it; labels stored as a Python list of ints.
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch
from torch import Tensor
from torch.utils.data import Dataset


@dataclass(frozen=True)
class FeatureStats:
    mean: np.ndarray
    std: np.ndarray

    @classmethod
    def of(cls, x: np.ndarray) -> "FeatureStats":
        return cls(mean=x.mean(axis=0), std=x.std(axis=0, ddof=0))

    def apply(self, x: np.ndarray) -> np.ndarray:
        safe = self.std.copy()
        safe[safe == 0] = 1.0  # on our copy, never on the caller's array
        return (x - self.mean) / safe


class NormalizedDataset(Dataset):
    def __init__(self, data: np.ndarray, labels: np.ndarray,
                 mean: np.ndarray | None = None, std: np.ndarray | None = None) -> None:
        if data.ndim != 2:
            raise ValueError(f"data must be (N, F); got ndim={data.ndim}")
        if len(data) != len(labels):
            raise ValueError("one label per row of data is required")
        x = data.astype(np.float64)
        stats = FeatureStats.of(x)
        if mean is not None:
            stats = FeatureStats(np.asarray(mean, dtype=np.float64), stats.std)
        if std is not None:
            stats = FeatureStats(stats.mean, np.asarray(std, dtype=np.float64))
        self.stats = stats
        self.mean, self.std = stats.mean, stats.std
        self.features = torch.from_numpy(stats.apply(x)).to(torch.float32)
        self.labels = [int(v) for v in labels]

    def __len__(self) -> int:
        return len(self.labels)

    def __getitem__(self, idx: int) -> tuple[Tensor, Tensor]:
        return self.features[idx], torch.tensor(self.labels[idx], dtype=torch.int64)
