# Style: numpy's sliding_window_view on a copy of the data, converted back with the series' dtype; layers kept in an nn.ModuleDict, unflattened with nn.Unflatten.
from __future__ import annotations

import numpy as np
import torch
from torch import nn


def make_windows(series: torch.Tensor, window: int, horizon: int = 1):
    if not (window >= 1 and horizon >= 1):
        raise ValueError("window >= 1 and horizon >= 1 are required")
    data = series.detach().cpu().numpy()
    if data.ndim == 1:
        data = data[:, np.newaxis]
    n = data.shape[0] - window - horizon + 1
    if n <= 0:
        x = np.zeros((0, window, data.shape[1]), dtype=data.dtype)
        y = np.zeros((0, horizon, data.shape[1]), dtype=data.dtype)
    else:
        views = np.lib.stride_tricks.sliding_window_view(data, window + horizon, axis=0)  # (N, F, span)
        views = np.moveaxis(views, -1, 1)[:n]
        x, y = views[:, :window].copy(), views[:, window:].copy()
    return torch.from_numpy(x).to(series.device), torch.from_numpy(y).to(series.device)


class LSTMForecaster(nn.Module):
    def __init__(self, input_size: int, hidden_size: int, num_layers: int = 1, horizon: int = 1) -> None:
        super().__init__()
        self.layers = nn.ModuleDict({
            "encoder": nn.LSTM(input_size, hidden_size, num_layers, batch_first=True),
            "decoder": nn.Sequential(nn.Linear(hidden_size, horizon * input_size),
                                     nn.Unflatten(1, (horizon, input_size))),
        })

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        outputs, _state = self.layers["encoder"](x)
        return self.layers["decoder"](outputs[:, -1, :])
