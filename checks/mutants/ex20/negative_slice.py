# Mutant: unfreezes model.features[-n:]: with n = 0 (the default) that slice is the whole of features, so every block is trained.
from __future__ import annotations

from torch import nn


def prepare_for_finetuning(model: nn.Module, num_classes: int, train_last_n_blocks: int = 0) -> list[nn.Parameter]:
    blocks = list(model.features)
    if num_classes < 1:
        raise ValueError(f"num_classes must be >= 1, got {num_classes}")
    if not 0 <= train_last_n_blocks <= len(blocks):
        raise ValueError(f"train_last_n_blocks must be in 0..{len(blocks)}, got {train_last_n_blocks}")
    for p in model.parameters():
        p.requires_grad_(False)
    for block in model.features[-train_last_n_blocks:]:
        for p in block.parameters():
            p.requires_grad_(True)
    old = model.fc
    model.fc = nn.Linear(old.in_features, num_classes).to(device=old.weight.device, dtype=old.weight.dtype)
    return [p for p in model.parameters() if p.requires_grad]
