# Style: walks named_modules() and each module's own parameters (an identity set for tied weights), groups as OrderedDicts, int 0 for "no decay".
from __future__ import annotations

from collections import OrderedDict

import torch


def param_groups(model: torch.nn.Module, weight_decay: float) -> list[dict]:
    if weight_decay < 0:
        raise ValueError(f"weight_decay must be non-negative, not {weight_decay}")
    seen, decay, keep = set(), [], []
    for _, module in model.named_modules():
        for param in module.parameters(recurse=False):
            if param in seen:
                continue
            seen.add(param)
            if param.requires_grad:
                (decay if param.dim() >= 2 else keep).append(param)
    out = []
    if decay:
        out.append(OrderedDict(params=decay, weight_decay=weight_decay))
    if keep:
        out.append(OrderedDict(params=keep, weight_decay=0))
    return out
