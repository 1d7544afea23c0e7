# Style: walks named_parameters(remove_duplicate=False) with an explicit seen-set; the head is replaced with add_module and frozen params are collected by module.
from __future__ import annotations

from torch import nn


def _check(model: nn.Module, num_classes: int, n: int) -> None:
    if num_classes <= 0:
        raise ValueError(f"num_classes={num_classes} must be >= 1")
    if n < 0 or n > len(model.features):
        raise ValueError(f"train_last_n_blocks={n} must be in [0, {len(model.features)}]")


def prepare_for_finetuning(model: nn.Module, num_classes: int, train_last_n_blocks: int = 0) -> list[nn.Parameter]:
    _check(model, num_classes, train_last_n_blocks)
    in_features = model.fc.in_features
    model.add_module("fc", nn.Linear(in_features, num_classes))
    blocks = list(model.features.children())
    trained_blocks = blocks[len(blocks) - train_last_n_blocks:] if train_last_n_blocks else []
    keep = set()
    for module in [*trained_blocks, model.fc]:
        for param in module.parameters():
            keep.add(param)
    result, seen = [], set()
    for _name, param in model.named_parameters(remove_duplicate=False):
        if param in seen:
            continue
        seen.add(param)
        param.requires_grad = param in keep
        if param in keep:
            result.append(param)
    return result
