# Style: blocks is a subclass of nn.ModuleList that chains itself (functools.reduce); blocks are Sequential(Linear, ReLU, Dropout).
from functools import reduce

import torch
from torch import nn


class ResidualStack(nn.ModuleList):
    """A ModuleList whose forward applies h -> h + block(h) for each block in turn."""

    def forward(self, h: torch.Tensor) -> torch.Tensor:
        return reduce(lambda acc, block: acc + block(acc), self, h)


class ResidualMLP(nn.Module):
    def __init__(self, in_features: int, hidden_features: int, out_features: int,
                 depth: int, dropout: float = 0.1) -> None:
        super().__init__()
        if depth < 0:
            raise ValueError("negative depth")
        if not 0.0 <= dropout < 1.0:
            raise ValueError("dropout out of range")
        self.input_proj = nn.Linear(in_features, hidden_features)
        self.blocks = ResidualStack(
            nn.Sequential(nn.Linear(hidden_features, hidden_features), nn.ReLU(), nn.Dropout(dropout))
            for _ in range(depth)
        )
        self.head = nn.Linear(hidden_features, out_features)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.head(self.blocks(self.input_proj(x)))
