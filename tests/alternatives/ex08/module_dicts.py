# Style: ModuleDict everywhere: the ends in one ModuleDict, each block a ModuleDict {"fc", "act", "drop"}.
import torch
from torch import nn


class ResidualMLP(nn.Module):
    def __init__(self, in_features, hidden_features, out_features, depth, dropout=0.1):
        super().__init__()
        if depth < 0:
            raise ValueError(f"depth={depth} < 0")
        if not 0 <= dropout < 1:
            raise ValueError(f"dropout={dropout} not in [0, 1)")
        self.ends = nn.ModuleDict({
            "input_proj": nn.Linear(in_features, hidden_features),
            "head": nn.Linear(hidden_features, out_features),
        })
        self.blocks = nn.ModuleList(
            nn.ModuleDict({"fc": nn.Linear(hidden_features, hidden_features),
                           "act": nn.ReLU(),
                           "drop": nn.Dropout(dropout)})
            for _ in range(depth)
        )

    def forward(self, x):
        h = self.ends["input_proj"](x)
        for block in self.blocks:
            h = h + block["drop"](block["act"](block["fc"](h)))
        return self.ends["head"](h)
