# Mutant: checks only the upper bound: a negative train_last_n_blocks trains no block instead of raising ValueError.
from __future__ import annotations

from torch import nn


def prepare_for_finetuning(model: nn.Module, num_classes: int, train_last_n_blocks: int = 0) -> list[nn.Parameter]:
    blocks = list(model.features)
    if num_classes < 1:
        raise ValueError(f"num_classes must be >= 1, got {num_classes}")
    if train_last_n_blocks > len(blocks):
        raise ValueError(f"train_last_n_blocks must be in 0..{len(blocks)}, got {train_last_n_blocks}")
    for p in model.parameters():
        p.requires_grad_(False)
    for block in blocks[min(len(blocks) - train_last_n_blocks, len(blocks)):]:   # not blocks[-n:]: n = 0 would take them all
        for p in block.parameters():
            p.requires_grad_(True)
    old = model.fc
    model.fc = nn.Linear(old.in_features, num_classes).to(device=old.weight.device, dtype=old.weight.dtype)
    return [p for p in model.parameters() if p.requires_grad]
