# Style: a frozen dataclass config, extra optional arguments with defaults (activation class, keyword-only), logging and a warning.
from __future__ import annotations

import logging
import warnings
from dataclasses import dataclass

import torch
from torch import nn

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class MLPConfig:
    in_features: int
    hidden_features: int
    out_features: int
    depth: int
    dropout: float = 0.1

    def validate(self) -> None:
        if self.depth < 0:
            raise ValueError(f"depth must be >= 0 (got {self.depth})")
        if not 0.0 <= self.dropout < 1.0:
            raise ValueError(f"dropout must be in [0, 1) (got {self.dropout})")


class Block(nn.Module):
    def __init__(self, width: int, dropout: float, activation: type[nn.Module]) -> None:
        super().__init__()
        self.lin = nn.Linear(width, width)
        self.act = activation()
        self.drop = nn.Dropout(p=dropout)

    def forward(self, h: torch.Tensor) -> torch.Tensor:
        return h + self.drop(self.act(self.lin(h)))


class ResidualMLP(nn.Module):
    def __init__(self, in_features: int, hidden_features: int, out_features: int,
                 depth: int, dropout: float = 0.1, *, activation: type[nn.Module] = nn.ReLU) -> None:
        super().__init__()
        self.config = MLPConfig(in_features, hidden_features, out_features, depth, dropout)
        self.config.validate()
        if depth > 32:
            warnings.warn(f"a deep ResidualMLP ({depth} blocks)", RuntimeWarning)
        logger.info("building %s", self.config)
        self.input_proj = nn.Linear(in_features, hidden_features)
        self.blocks = nn.ModuleList()
        for _ in range(depth):
            self.blocks.append(Block(hidden_features, dropout, activation))
        self.head = nn.Linear(hidden_features, out_features)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        h = self.input_proj(x)
        for i, block in enumerate(self.blocks):
            h = block(h)
            logger.debug("after block %d: |h| = %s", i, h.norm().item())
        return self.head(h)
