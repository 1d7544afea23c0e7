# Style: residual Block modules, also chained in one nn.Sequential (blocks registered twice, parameters shared).
from __future__ import annotations

import torch
from torch import nn


class Residual(nn.Module):
    def __init__(self, width: int, p: float) -> None:
        super().__init__()
        self.fc = nn.Linear(width, width)
        self.act = nn.ReLU(inplace=True)
        self.drop = nn.Dropout(p)

    def forward(self, h: torch.Tensor) -> torch.Tensor:
        return self.drop(self.act(self.fc(h))).add(h)


class ResidualMLP(nn.Module):
    def __init__(self, in_features: int, hidden_features: int, out_features: int,
                 depth: int, dropout: float = 0.1) -> None:
        super().__init__()
        if depth < 0 or not 0 <= dropout < 1:
            raise ValueError("need depth >= 0 and 0 <= dropout < 1")
        self.blocks = nn.ModuleList(Residual(hidden_features, dropout) for _ in range(depth))
        self.net = nn.Sequential(
            nn.Linear(in_features, hidden_features),
            *self.blocks,
            nn.Linear(hidden_features, out_features),
        )

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.net(x)
