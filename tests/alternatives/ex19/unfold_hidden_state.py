# Style: Tensor.unfold over the time axis, split into inputs and targets; the model reads h_n[-1] (the last layer's last step) and views the result.
from __future__ import annotations

import torch
from torch import nn


def make_windows(series: torch.Tensor, window: int, horizon: int = 1) -> tuple[torch.Tensor, torch.Tensor]:
    if min(window, horizon) < 1:
        raise ValueError("window and horizon must be positive")
    s = series.reshape(-1, 1) if series.ndim == 1 else series
    features = s.shape[1]
    span = window + horizon
    if s.shape[0] < span:
        return s.new_empty((0, window, features)), s.new_empty((0, horizon, features))
    chunks = s.unfold(0, span, 1).transpose(1, 2)   # (N, span, F)
    return chunks[:, :window], chunks[:, window:]


class LSTMForecaster(nn.Module):
    def __init__(self, input_size: int, hidden_size: int, num_layers: int = 1, horizon: int = 1) -> None:
        super().__init__()
        self.shape = (horizon, input_size)
        self.rnn = nn.LSTM(input_size=input_size, hidden_size=hidden_size, num_layers=num_layers,
                           batch_first=True)
        self.proj = nn.Linear(hidden_size, horizon * input_size)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        _, (h_n, _) = self.rnn(x)
        return self.proj(h_n[-1]).view(-1, *self.shape)
