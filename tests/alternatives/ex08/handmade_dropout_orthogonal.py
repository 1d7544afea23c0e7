# Style: inverted dropout written by hand (bernoulli mask / (1 - p)) and only when self.training; orthogonal init via self.apply.
from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import nn


class ResidualBlock(nn.Module):
    def __init__(self, dim: int, p: float) -> None:
        super().__init__()
        self.fc = nn.Linear(dim, dim)
        self.p = p

    def forward(self, h: torch.Tensor) -> torch.Tensor:
        branch = F.relu(self.fc(h))
        if self.training and self.p > 0:
            keep = torch.bernoulli(torch.full_like(branch, 1.0 - self.p))
            branch = branch * keep / (1.0 - self.p)
        return h + branch


def _init(module: nn.Module) -> None:
    if isinstance(module, nn.Linear):
        nn.init.orthogonal_(module.weight)
        nn.init.zeros_(module.bias)


class ResidualMLP(nn.Module):
    def __init__(self, in_features: int, hidden_features: int, out_features: int,
                 depth: int, dropout: float = 0.1) -> None:
        super().__init__()
        if depth < 0 or not (0.0 <= dropout < 1.0):
            raise ValueError("depth >= 0 and 0 <= dropout < 1 required")
        self.input_proj = nn.Linear(in_features, hidden_features)
        self.blocks = nn.ModuleList(ResidualBlock(hidden_features, dropout) for _ in range(depth))
        self.head = nn.Linear(hidden_features, out_features)
        self.apply(_init)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        h = self.input_proj(x)
        for blk in self.blocks:
            h = blk(h)
        return self.head(h)
