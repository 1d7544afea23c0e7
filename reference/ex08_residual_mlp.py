"""Reference solution for exercise 8: a residual MLP of any depth."""

from __future__ import annotations

import torch
from torch import nn


class ResidualBlock(nn.Module):
    """h -> h + Dropout(ReLU(Linear(h)))."""

    def __init__(self, features: int, dropout: float) -> None:
        super().__init__()
        self.linear = nn.Linear(features, features)
        self.dropout = nn.Dropout(dropout)

    def forward(self, h: torch.Tensor) -> torch.Tensor:
        return h + self.dropout(torch.relu(self.linear(h)))


class ResidualMLP(nn.Module):
    def __init__(self, in_features: int, hidden_features: int, out_features: int,
                 depth: int, dropout: float = 0.1) -> None:
        super().__init__()
        if depth < 0:
            raise ValueError(f"depth must be >= 0, got {depth}")
        if not 0.0 <= dropout < 1.0:
            raise ValueError(f"dropout must be in [0, 1), got {dropout}")
        self.input_proj = nn.Linear(in_features, hidden_features)
        self.blocks = nn.ModuleList(ResidualBlock(hidden_features, dropout) for _ in range(depth))
        self.head = nn.Linear(hidden_features, out_features)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        h = self.input_proj(x)
        for block in self.blocks:
            h = block(h)
        return self.head(h)
