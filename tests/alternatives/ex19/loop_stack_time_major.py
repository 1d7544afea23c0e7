# Style: the seed's loop with torch.stack and an explicit empty case; the head is defined before the LSTM, which runs time-major (batch_first=False) on a transposed input.
from __future__ import annotations

import torch
import torch.nn as nn


def make_windows(series, window, horizon=1):
    if window < 1:
        raise ValueError(f"window must be at least 1 (got {window})")
    if horizon < 1:
        raise ValueError(f"horizon must be at least 1 (got {horizon})")
    if series.dim() == 1:
        series = series[:, None]
    xs, ys = [], []
    for i in range(len(series) - window - horizon + 1):
        xs.append(series[i:i + window])
        ys.append(series[i + window:i + window + horizon])
    if not xs:
        f = series.shape[1]
        return (torch.empty(0, window, f, dtype=series.dtype, device=series.device),
                torch.empty(0, horizon, f, dtype=series.dtype, device=series.device))
    return torch.stack(xs), torch.stack(ys)


class LSTMForecaster(nn.Module):
    def __init__(self, input_size, hidden_size, num_layers=1, horizon=1):
        super().__init__()
        self.out = nn.Linear(hidden_size, horizon * input_size)
        self.lstm = nn.LSTM(input_size, hidden_size, num_layers)
        self.horizon, self.features = horizon, input_size

    def forward(self, x):
        seq, _ = self.lstm(x.transpose(0, 1))          # (window, B, hidden)
        last = seq[-1]
        y = self.out(last)
        return y.reshape(len(x), self.horizon, self.features)
