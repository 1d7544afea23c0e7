# Style: as_strided windows; the LSTM written as a ModuleList of one-layer nn.LSTMs (the same function and weights as nn.LSTM(..., num_layers)), the head applied to every step then the last one taken.
from __future__ import annotations

import torch
from torch import nn


def make_windows(series: torch.Tensor, window: int, horizon: int = 1) -> tuple[torch.Tensor, torch.Tensor]:
    if window < 1 or horizon < 1:
        raise ValueError("window and horizon must be >= 1")
    s = series.reshape(-1, 1) if series.dim() == 1 else series
    t, f = s.shape
    n = max(t - window - horizon + 1, 0)
    s = s.contiguous()
    st, sf = s.stride()
    x = s.as_strided((n, window, f), (st, st, sf))
    y = s[window:].as_strided((n, horizon, f), (st, st, sf)) if n else s.new_empty((0, horizon, f))
    return x.clone(), y.clone()


class LSTMForecaster(nn.Module):
    def __init__(self, input_size: int, hidden_size: int, num_layers: int = 1, horizon: int = 1) -> None:
        super().__init__()
        sizes = [input_size] + [hidden_size] * (num_layers - 1)
        self.layers = nn.ModuleList(nn.LSTM(i, hidden_size, batch_first=True) for i in sizes)
        self.head = nn.Linear(hidden_size, horizon * input_size)
        self.horizon, self.input_size = horizon, input_size

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        h = x
        for lstm in self.layers:
            h, _ = lstm(h)
        every_step = self.head(h)                      # (B, window, horizon * input_size)
        return every_step[:, -1].unflatten(-1, (self.horizon, self.input_size))
