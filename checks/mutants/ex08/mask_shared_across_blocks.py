# Mutant: draws one dropout mask per forward pass and reuses it in every block, so all blocks drop the same elements.
from __future__ import annotations

import torch
from torch import nn


class ResidualMLP(nn.Module):
    def __init__(self, in_features: int, hidden_features: int, out_features: int,
                 depth: int, dropout: float = 0.1) -> None:
        super().__init__()
        if depth < 0:
            raise ValueError(f"depth must be >= 0, got {depth}")
        if not 0.0 <= dropout < 1.0:
            raise ValueError(f"dropout must be in [0, 1), got {dropout}")
        self.p = dropout
        self.input_proj = nn.Linear(in_features, hidden_features)
        self.blocks = nn.ModuleList(nn.Linear(hidden_features, hidden_features) for _ in range(depth))
        self.head = nn.Linear(hidden_features, out_features)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        h = self.input_proj(x)
        mask = None
        if self.training and self.p > 0:
            mask = (torch.rand_like(h) >= self.p).to(h.dtype) / (1.0 - self.p)  # one mask for all blocks
        for linear in self.blocks:
            branch = torch.relu(linear(h))
            h = h + (branch * mask if mask is not None else branch)
        return self.head(h)
