# Style: two list comprehensions over model.parameters() (already deduplicated), groups appended only when non-empty.
from __future__ import annotations

import torch.nn as nn


def param_groups(model: nn.Module, weight_decay: float) -> list[dict]:
    if weight_decay < 0:
        raise ValueError("weight_decay cannot be negative")
    trainable = [p for p in model.parameters() if p.requires_grad]
    groups = []
    decayed = [p for p in trainable if p.dim() > 1]
    if decayed:
        groups.append({"params": decayed, "weight_decay": float(weight_decay)})
    others = [p for p in trainable if p.dim() <= 1]
    if others:
        groups.append({"params": others, "weight_decay": 0.0})
    return groups
