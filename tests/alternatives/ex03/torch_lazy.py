# Style: torch maths in float32 (correction=0), zero std replaced by 1 with torch.where, normalisation done lazily in __getitem__.
from __future__ import annotations

import numpy as np
import torch
from torch import Tensor
from torch.utils.data import Dataset


class NormalizedDataset(Dataset):
    def __init__(self, data: np.ndarray, labels: np.ndarray,
                 mean: np.ndarray | None = None, std: np.ndarray | None = None) -> None:
        x = torch.as_tensor(np.asarray(data), dtype=torch.float32)  # a converted copy
        y = torch.as_tensor(np.asarray(labels)).long()
        if x.dim() != 2:
            raise ValueError(f"expected data of shape (N, F), got {tuple(x.shape)}")
        if x.shape[0] != y.shape[0]:
            raise ValueError(f"{x.shape[0]} samples but {y.shape[0]} labels")
        m = x.mean(dim=0) if mean is None else torch.as_tensor(mean, dtype=torch.float32)
        s = x.std(dim=0, correction=0) if std is None else torch.as_tensor(std, dtype=torch.float32)
        self.mean = m.numpy()
        self.std = s.numpy()
        self._x, self._y = x, y
        self._m, self._s = m, torch.where(s == 0, torch.ones_like(s), s)

    def __len__(self) -> int:
        return self._x.shape[0]

    def __getitem__(self, idx: int) -> tuple[Tensor, Tensor]:
        return (self._x[idx] - self._m) / self._s, self._y[idx]
