# Style: a stable sort puts the decayed parameters first, bisect finds the split; groups built as tuples then dicts.
from __future__ import annotations

import bisect


def param_groups(model, weight_decay):
    if weight_decay < 0.0:
        raise ValueError("negative weight decay")
    params = [p for _, p in model.named_parameters() if p.requires_grad]
    ordered = sorted(params, key=lambda p: 0 if p.ndimension() >= 2 else 1)   # stable: keeps model order
    keys = [0 if p.ndimension() >= 2 else 1 for p in ordered]
    split = bisect.bisect_left(keys, 1)
    pairs = ((ordered[:split], weight_decay), (ordered[split:], 0.0))
    return [{"params": list(ps), "weight_decay": wd} for ps, wd in pairs if len(ps) > 0]
