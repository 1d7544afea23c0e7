# Mutant: every output value is wrong (zeros of the right shape and dtype), though the layers, the parameter count and the argument checks are right and nothing ever raises.
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
        self.out_features = out_features
        self.input_proj = nn.Linear(in_features, hidden_features)
        self.blocks = nn.ModuleList(nn.Linear(hidden_features, hidden_features) for _ in range(depth))
        self.head = nn.Linear(hidden_features, out_features)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return torch.zeros(x.shape[0], self.out_features, dtype=x.dtype, device=x.device)
