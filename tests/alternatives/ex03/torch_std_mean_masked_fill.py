# Style: torch.as_tensor + torch.std_mean(correction=0) in float64, zero std guarded with masked_fill, statistics exported with .numpy().copy(), typed attributes.
from __future__ import annotations

import numpy as np
import torch
from torch import Tensor
from torch.utils.data import Dataset


class NormalizedDataset(Dataset):
    def __init__(self, data: np.ndarray, labels: np.ndarray,
                 mean: np.ndarray | None = None, std: np.ndarray | None = None) -> None:
        x = torch.as_tensor(data).to(torch.float64)
        y = torch.as_tensor(labels).to(torch.int64)
        if x.dim() != 2:
            raise ValueError(f"data must be 2-D, got {x.dim()}-D")
        if x.shape[0] != y.shape[0]:
            raise ValueError("data and labels must have the same length")
        s, m = torch.std_mean(x, dim=0, correction=0)
        m = m if mean is None else torch.as_tensor(mean, dtype=torch.float64)
        s = s if std is None else torch.as_tensor(std, dtype=torch.float64)
        self.mean: np.ndarray = m.numpy().copy()
        self.std: np.ndarray = s.numpy().copy()
        safe = s.masked_fill(s == 0, 1.0)
        self._x = ((x - m) / safe).float()
        self._y = y

    def __len__(self) -> int:
        return self._x.size(0)

    def __getitem__(self, idx: int) -> tuple[Tensor, Tensor]:
        return self._x[idx], self._y[idx]
