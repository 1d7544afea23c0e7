# Style: match statement in move_to, device chosen at import time, per-sample losses (reduction="none")
# concatenated, evaluation on a deep copy of the model so the caller's model is never switched.
from __future__ import annotations

import copy
from typing import Any

import numpy as np
import torch
from torch import nn
from torch.nn import functional as F

_DEVICE = torch.device("cuda") if torch.cuda.is_available() else torch.device("cpu")


def get_device() -> torch.device:
    return _DEVICE


def move_to(obj: Any, device: torch.device) -> Any:
    match obj:
        case torch.Tensor():
            return obj.to(device=device)
        case dict():
            out = {}
            for key in obj:
                out[key] = move_to(obj[key], device)
            return out
        case list():
            return [move_to(x, device) for x in obj]
        case tuple():
            return tuple([move_to(x, device) for x in obj])
        case _:
            return obj


def evaluate(model: nn.Module, loader: Any, device: torch.device) -> dict[str, float]:
    frozen = copy.deepcopy(model).eval()  # the caller's model keeps its mode untouched
    losses, hits = [], []
    with torch.no_grad():
        for batch in loader:
            x, y = move_to(tuple(batch), device)
            logits = frozen(x)
            losses.append(F.cross_entropy(logits, y, reduction="none").cpu().numpy())
            hits.append((logits.argmax(-1) == y).cpu().numpy())
    if not losses or sum(len(h) for h in hits) == 0:
        raise ValueError("evaluate() needs at least one sample")
    all_losses = np.concatenate(losses).astype(np.float64)
    all_hits = np.concatenate(hits)
    return {"loss": float(all_losses.mean()), "accuracy": float(all_hits.mean())}
