# Style: one prototype block deep-copied depth times (copy.deepcopy: distinct modules, equal initial weights); OrderedDict-named Sequential blocks.
import copy
from collections import OrderedDict

import torch
from torch import nn


class ResidualMLP(nn.Module):
    def __init__(self, in_features: int, hidden_features: int, out_features: int,
                 depth: int, dropout: float = 0.1) -> None:
        super().__init__()
        if depth < 0:
            raise ValueError("depth must be >= 0")
        if not 0.0 <= dropout < 1.0:
            raise ValueError("dropout must be in [0, 1)")
        prototype = nn.Sequential(OrderedDict([
            ("linear", nn.Linear(hidden_features, hidden_features)),
            ("relu", nn.ReLU()),
            ("dropout", nn.Dropout(dropout)),
        ]))
        self.input_proj = nn.Linear(in_features, hidden_features)
        self.blocks = nn.ModuleList(copy.deepcopy(prototype) for _ in range(depth))
        self.head = nn.Linear(hidden_features, out_features)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        h = self.input_proj(x)
        for branch in self.blocks:
            h = h + branch(h)
        return self.head(h)
