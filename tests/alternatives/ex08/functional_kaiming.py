# Style: blocks are bare nn.Linear layers used with F.relu / F.dropout(training=self.training), dropout before ReLU, Kaiming init.
from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import nn


class ResidualMLP(nn.Module):
    def __init__(self, in_features: int, hidden_features: int, out_features: int,
                 depth: int, dropout: float = 0.1) -> None:
        super().__init__()
        if depth < 0:
            raise ValueError(f"depth={depth} < 0")
        if not (0.0 <= dropout < 1.0):
            raise ValueError(f"dropout={dropout} not in [0, 1)")
        self.dropout = dropout
        self.input_proj = nn.Linear(in_features, hidden_features)
        self.blocks = nn.ModuleList([nn.Linear(hidden_features, hidden_features) for _ in range(depth)])
        self.head = nn.Linear(hidden_features, out_features)
        for layer in self.blocks:
            nn.init.kaiming_normal_(layer.weight, nonlinearity="relu")
            nn.init.zeros_(layer.bias)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        h = self.input_proj(x)
        for layer in self.blocks:
            # dropout scales by a positive factor, so it commutes with ReLU
            h = h + F.relu(F.dropout(layer(h), p=self.dropout, training=self.training))
        return self.head(h)
