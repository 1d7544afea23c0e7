# Style: blocks start at zero (each the identity), torch.addmm + clamp_min, other layer names, a buffer, prints.
"""Zero-initialised blocks (each starts as the identity), other names, addmm, a buffer, prints."""
import torch
from torch import nn


class ZeroInitResidual(nn.Module):
    def __init__(self, width: int, p: float) -> None:
        super().__init__()
        self.fc = nn.Linear(width, width)
        nn.init.zeros_(self.fc.weight)
        nn.init.zeros_(self.fc.bias)
        self.drop = nn.Dropout(p) if p > 0 else nn.Identity()

    def forward(self, h: torch.Tensor) -> torch.Tensor:
        branch = torch.addmm(self.fc.bias, h, self.fc.weight.t()).clamp_min(0)
        return torch.add(h, self.drop(branch))


class ResidualMLP(nn.Module):
    def __init__(self, in_features, hidden_features, out_features, depth, dropout=0.1):
        super().__init__()
        if not isinstance(depth, int) or depth < 0:
            raise ValueError("depth must be an int >= 0")
        if not (0.0 <= float(dropout) < 1.0):
            raise ValueError("dropout must be in [0, 1)")
        self.stem = nn.Sequential(nn.Linear(in_features, hidden_features))
        self.blocks = nn.ModuleList()
        for _ in range(depth):
            self.blocks.append(ZeroInitResidual(hidden_features, dropout))
        self.classifier = nn.Linear(hidden_features, out_features)
        self.register_buffer("num_blocks", torch.tensor(depth))
        print(f"ResidualMLP with {depth} blocks")

    def forward(self, x):
        h = self.stem(x)
        for block in self.blocks:
            h = block(h)
        return self.classifier(h)
