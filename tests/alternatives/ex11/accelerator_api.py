# Style: torch.accelerator API for the device, isinstance chain with Sequence handling, sum-reduction
# loss, manual restore of the mode without try/finally, accuracy through softmax probabilities.
from __future__ import annotations

from typing import Any

import torch
import torch.nn as nn
import torch.nn.functional as F


def get_device() -> torch.device:
    accelerator = torch.accelerator.current_accelerator(check_available=True)
    if accelerator is not None and accelerator.type == "cuda":
        return torch.device(accelerator.type)
    return torch.device("cpu")


def move_to(obj, device):
    if torch.is_tensor(obj):
        return obj.to(device)
    if isinstance(obj, dict):
        return {k: move_to(v, device) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        moved = [move_to(v, device) for v in obj]
        return moved if isinstance(obj, list) else tuple(moved)
    return obj


def evaluate(model: nn.Module, loader, device) -> dict[str, float]:
    previously_training = model.training
    model.train(False)
    loss_total, n_correct, n_seen = 0.0, 0, 0
    with torch.no_grad():
        for x, y in loader:
            x = x.to(device)
            y = y.to(device)
            out = model(x)
            loss_total += F.cross_entropy(out, y, reduction="sum").item()
            probs = out.softmax(dim=1)
            n_correct += int((probs.argmax(dim=1) == y).sum())
            n_seen += len(y)
    if previously_training:
        model.train()
    if n_seen == 0:
        raise ValueError("no samples in loader")
    return {"loss": loss_total / n_seen, "accuracy": n_correct / n_seen}
