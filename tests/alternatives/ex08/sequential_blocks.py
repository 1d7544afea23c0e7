# Style: blocks are nn.Sequential(Linear, ReLU, Dropout) with the residual sum in forward; other layer names.
from __future__ import annotations

import torch
from torch import nn


class ResidualMLP(nn.Module):
    def __init__(self, in_features: int, hidden_features: int, out_features: int,
                 depth: int, dropout: float = 0.1) -> None:
        super().__init__()
        if not isinstance(depth, int) or depth < 0:
            raise ValueError("depth must be a non-negative integer")
        if dropout < 0 or dropout >= 1:
            raise ValueError("dropout must satisfy 0 <= dropout < 1")
        self.embed = nn.Linear(in_features, hidden_features)
        self.blocks = nn.ModuleList()
        for _ in range(depth):
            self.blocks.append(nn.Sequential(
                nn.Linear(hidden_features, hidden_features),
                nn.ReLU(),
                nn.Dropout(p=dropout),
            ))
        self.readout = nn.Linear(hidden_features, out_features)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        h = self.embed(x)
        for branch in self.blocks:
            h = h + branch(h)
        return self.readout(h)
