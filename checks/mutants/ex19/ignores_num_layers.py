# Mutant: always builds a one-layer LSTM, whatever num_layers says.
from __future__ import annotations

import torch
from torch import nn


def make_windows(series: torch.Tensor, window: int, horizon: int = 1) -> tuple[torch.Tensor, torch.Tensor]:
    if window < 1 or horizon < 1:
        raise ValueError(f"window and horizon must be >= 1, got {window} and {horizon}")
    if series.dim() == 1:
        series = series.unsqueeze(-1)  # a 1-D series is one feature (F = 1)
    n = max(series.shape[0] - window - horizon + 1, 0)
    starts = torch.arange(n).unsqueeze(1)
    x = series[starts + torch.arange(window)]                 # (N, window, F)
    y = series[starts + window + torch.arange(horizon)]       # (N, horizon, F)
    return x, y


class LSTMForecaster(nn.Module):
    def __init__(self, input_size: int, hidden_size: int, num_layers: int = 1, horizon: int = 1) -> None:
        super().__init__()
        self.horizon = horizon
        self.input_size = input_size
        self.lstm = nn.LSTM(input_size, hidden_size, batch_first=True)
        self.head = nn.Linear(hidden_size, horizon * input_size)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        out, _ = self.lstm(x)                  # (B, window, hidden_size)
        pred = self.head(out[:, -1])           # the last time step only
        return pred.reshape(x.shape[0], self.horizon, self.input_size)
