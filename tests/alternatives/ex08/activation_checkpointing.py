# Style: each block run through torch.utils.checkpoint (non-reentrant) in training to save memory at depth 64.
import torch
from torch import nn
from torch.utils.checkpoint import checkpoint


class Block(nn.Module):
    def __init__(self, width: int, p: float) -> None:
        super().__init__()
        self.linear = nn.Linear(width, width)
        self.dropout = nn.Dropout(p)

    def forward(self, h: torch.Tensor) -> torch.Tensor:
        return h + self.dropout(torch.relu(self.linear(h)))


class ResidualMLP(nn.Module):
    def __init__(self, in_features: int, hidden_features: int, out_features: int,
                 depth: int, dropout: float = 0.1, use_checkpoint: bool = True) -> None:
        super().__init__()
        if depth < 0:
            raise ValueError("depth must be non-negative")
        if dropout < 0 or dropout >= 1:
            raise ValueError("dropout must be in [0, 1)")
        self.use_checkpoint = use_checkpoint
        self.input_proj = nn.Linear(in_features, hidden_features)
        self.blocks = nn.ModuleList([Block(hidden_features, dropout) for _ in range(depth)])
        self.head = nn.Linear(hidden_features, out_features)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        h = self.input_proj(x)
        for block in self.blocks:
            if self.use_checkpoint and self.training and torch.is_grad_enabled():
                # recomputed in backward with the same dropout mask (the RNG state is restored)
                h = checkpoint(block, h, use_reentrant=False)
            else:
                h = block(h)
        return self.head(h)
