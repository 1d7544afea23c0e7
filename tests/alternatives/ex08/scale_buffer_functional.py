# Style: a float buffer (residual scale 1.0) per block, registered so it moves with .to(); h updated with torch.add(alpha=...) and torch.nn.functional everywhere.
import torch
import torch.nn.functional as F
from torch import nn


class ScaledResidual(nn.Module):
    def __init__(self, width: int, p: float) -> None:
        super().__init__()
        self.weight = nn.Parameter(torch.empty(width, width))
        self.bias = nn.Parameter(torch.empty(width))
        nn.init.kaiming_uniform_(self.weight, a=5 ** 0.5)
        nn.init.uniform_(self.bias, -width ** -0.5, width ** -0.5)
        self.p = p
        self.register_buffer("skip_scale", torch.ones(()))

    def forward(self, h: torch.Tensor) -> torch.Tensor:
        branch = F.dropout(F.relu(F.linear(h, self.weight, self.bias)), self.p, self.training)
        return torch.add(h * self.skip_scale, branch)


class ResidualMLP(nn.Module):
    def __init__(self, in_features: int, hidden_features: int, out_features: int,
                 depth: int, dropout: float = 0.1) -> None:
        super().__init__()
        if depth < 0:
            raise ValueError("depth < 0")
        if dropout < 0.0 or dropout >= 1.0:
            raise ValueError("dropout must satisfy 0 <= dropout < 1")
        self.proj_in = nn.Linear(in_features, hidden_features)
        self.blocks = nn.ModuleList([ScaledResidual(hidden_features, dropout) for _ in range(depth)])
        self.proj_out = nn.Linear(hidden_features, out_features)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        h = self.proj_in(x)
        for block in self.blocks:
            h = block(h)
        return self.proj_out(h)
