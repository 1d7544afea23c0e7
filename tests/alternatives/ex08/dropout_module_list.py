# Style: blocks are Sequential(Linear, ReLU(inplace)), dropouts in a second ModuleList, validation before super().__init__().
"""Dropout module applied in ResidualMLP.forward, ReLU in place, blocks are Sequential(Linear, ReLU)."""
import torch
from torch import nn


class ResidualMLP(nn.Module):
    def __init__(self, in_features: int, hidden_features: int, out_features: int,
                 depth: int, dropout: float = 0.1):
        if depth < 0 or not (0 <= dropout < 1):
            raise ValueError(f"invalid depth={depth} or dropout={dropout}")
        super().__init__()
        self.input_proj = nn.Linear(in_features, hidden_features)
        self.blocks = nn.ModuleList(
            nn.Sequential(nn.Linear(hidden_features, hidden_features), nn.ReLU(inplace=True)) for _ in range(depth)
        )
        self.dropouts = nn.ModuleList(nn.Dropout(dropout) for _ in range(depth))
        self.head = nn.Linear(hidden_features, out_features)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        h = self.input_proj(x)
        for block, drop in zip(self.blocks, self.dropouts):
            h = drop(block(h)) + h
        return self.head(h)
