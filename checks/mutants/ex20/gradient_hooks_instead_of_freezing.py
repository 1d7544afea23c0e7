# Mutant: "freezes" with hooks that zero the gradients instead of requires_grad=False: the frozen weights still get a .grad (of zeros) on every backward.
from __future__ import annotations

from torch import nn


def prepare_for_finetuning(model: nn.Module, num_classes: int, train_last_n_blocks: int = 0) -> list[nn.Parameter]:
    blocks = list(model.features)
    if num_classes < 1:
        raise ValueError(f"num_classes must be >= 1, got {num_classes}")
    if not 0 <= train_last_n_blocks <= len(blocks):
        raise ValueError(f"train_last_n_blocks must be in 0..{len(blocks)}, got {train_last_n_blocks}")
    trained = set()
    for block in blocks[len(blocks) - train_last_n_blocks:]:
        trained.update(id(p) for p in block.parameters())
    for p in model.parameters():
        if id(p) not in trained:
            p.register_hook(lambda g: g * 0)
    old = model.fc
    model.fc = nn.Linear(old.in_features, num_classes).to(device=old.weight.device, dtype=old.weight.dtype)
    return [p for p in model.parameters() if id(p) in trained or any(p is q for q in model.fc.parameters())]
