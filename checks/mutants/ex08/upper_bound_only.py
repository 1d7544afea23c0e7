# Mutant: checks only dropout >= 1 and uses F.dropout in forward, so a negative dropout is accepted at construction.
from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import nn


class ResidualMLP(nn.Module):
    def __init__(self, in_features: int, hidden_features: int, out_features: int,
                 depth: int, dropout: float = 0.1) -> None:
        super().__init__()
        if depth < 0:
            raise ValueError("depth must be >= 0")
        if dropout >= 1:
            raise ValueError("dropout must be < 1")
        self.p = dropout
        self.input_proj = nn.Linear(in_features, hidden_features)
        self.blocks = nn.ModuleList(nn.Linear(hidden_features, hidden_features) for _ in range(depth))
        self.head = nn.Linear(hidden_features, out_features)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        h = self.input_proj(x)
        for linear in self.blocks:
            h = h + F.dropout(F.relu(linear(h)), self.p, training=self.training)
        return self.head(h)
