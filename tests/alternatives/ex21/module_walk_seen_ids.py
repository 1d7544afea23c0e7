# Style: walks the modules' own parameters with remove_duplicate=False and remembers identities itself.
from __future__ import annotations

from torch import nn


def param_groups(model: nn.Module, weight_decay: float) -> list[dict]:
    if not weight_decay >= 0:
        raise ValueError(f"weight_decay={weight_decay!r} must be non-negative")
    seen: set[int] = set()
    buckets: dict[bool, list[nn.Parameter]] = {True: [], False: []}
    for _, param in model.named_parameters(remove_duplicate=False):
        if id(param) in seen:
            continue
        seen.add(id(param))
        if not param.requires_grad:
            continue
        buckets[len(param.shape) >= 2].append(param)
    result = []
    for decays, rate in ((True, weight_decay), (False, 0.0)):
        if buckets[decays]:
            result.append(dict(params=buckets[decays], weight_decay=rate))
    return result
