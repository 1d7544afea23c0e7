# Style: the set of trained parameters by identity, requires_grad assigned in one pass, fc swapped with setattr.
from __future__ import annotations

from torch import nn


def prepare_for_finetuning(model: nn.Module, num_classes: int, train_last_n_blocks: int = 0) -> list[nn.Parameter]:
    if num_classes < 1:
        raise ValueError("num_classes must be positive")
    n_blocks = len(model.features)
    if train_last_n_blocks not in range(n_blocks + 1):
        raise ValueError(f"train_last_n_blocks must be between 0 and {n_blocks}")
    head = nn.Linear(model.fc.in_features, num_classes)
    setattr(model, "fc", head)
    trained = {id(p) for p in head.parameters()}
    for i in range(n_blocks - train_last_n_blocks, n_blocks):
        trained |= {id(p) for p in model.features[i].parameters()}
    for p in model.parameters():
        p.requires_grad = id(p) in trained
    return [p for p in model.parameters() if id(p) in trained]
