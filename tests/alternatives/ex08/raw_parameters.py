# Style: raw nn.Parameter weights with F.linear, no nn.Linear; one shared nn.Dropout module.
"""Raw parameters and F.linear, no nn.Linear anywhere."""
import math

import torch
import torch.nn.functional as F
from torch import nn


def _uniform(*shape: int, fan_in: int) -> nn.Parameter:
    bound = 1.0 / math.sqrt(fan_in)
    return nn.Parameter(torch.empty(*shape).uniform_(-bound, bound))


class Block(nn.Module):
    def __init__(self, width: int) -> None:
        super().__init__()
        self.weight = _uniform(width, width, fan_in=width)
        self.bias = _uniform(width, fan_in=width)


class ResidualMLP(nn.Module):
    def __init__(self, in_features: int, hidden_features: int, out_features: int,
                 depth: int, dropout: float = 0.1) -> None:
        super().__init__()
        if depth < 0:
            raise ValueError(f"depth must be non-negative (got {depth})")
        if dropout < 0.0 or dropout >= 1.0:
            raise ValueError(f"dropout must be in [0, 1) (got {dropout})")
        self.w_in = _uniform(hidden_features, in_features, fan_in=in_features)
        self.b_in = _uniform(hidden_features, fan_in=in_features)
        self.blocks = nn.ModuleList(Block(hidden_features) for _ in range(depth))
        self.w_out = _uniform(out_features, hidden_features, fan_in=hidden_features)
        self.b_out = _uniform(out_features, fan_in=hidden_features)
        self.drop = nn.Dropout(dropout)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        h = F.linear(x, self.w_in, self.b_in)
        for blk in self.blocks:
            h = h + self.drop(F.relu(F.linear(h, blk.weight, blk.bias)))
        return F.linear(h, self.w_out, self.b_out)
