# Mutant: moves the inputs x to the device but leaves the labels y on the cpu, so on a GPU the loss mixes devices.

from __future__ import annotations

from typing import Any

import torch
import torch.nn as nn
import torch.nn.functional as F


def get_device() -> torch.device:
    return torch.device("cuda" if torch.cuda.is_available() else "cpu")


def move_to(obj: Any, device: torch.device) -> Any:
    if isinstance(obj, torch.Tensor):
        return obj.to(device)
    if isinstance(obj, dict):
        return {key: move_to(value, device) for key, value in obj.items()}
    if isinstance(obj, list):
        return [move_to(item, device) for item in obj]
    if isinstance(obj, tuple):
        return tuple(move_to(item, device) for item in obj)
    return obj


def evaluate(model: nn.Module, loader: Any, device: torch.device) -> dict[str, float]:
    was_training = model.training
    model.eval()
    total_loss = 0.0
    total_correct = 0
    total_samples = 0
    try:
        with torch.no_grad():
            for batch in loader:
                x, y = batch
                x = move_to(x, device)
                logits = model(x)
                # Sum, not mean: every sample weighs the same whatever its batch size.
                total_loss += F.cross_entropy(logits, y, reduction="sum").item()
                total_correct += (logits.argmax(dim=1) == y).sum().item()
                total_samples += y.size(0)
    finally:
        model.train(was_training)
    if total_samples == 0:
        raise ValueError("the loader yielded no samples: cannot average over nothing")
    return {"loss": total_loss / total_samples, "accuracy": total_correct / total_samples}
