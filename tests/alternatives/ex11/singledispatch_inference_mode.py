# Style: functools.singledispatch for move_to, torch.inference_mode decorator, tensor accumulators.
from __future__ import annotations

import functools
from typing import Any

import torch
import torch.nn as nn


def get_device() -> torch.device:
    if torch.cuda.device_count() > 0:
        return torch.device("cuda:0")
    return torch.device("cpu")


@functools.singledispatch
def move_to(obj: Any, device: torch.device) -> Any:
    return obj  # not a tensor nor a container: untouched


@move_to.register
def _(obj: torch.Tensor, device: torch.device) -> torch.Tensor:
    return obj.to(device, non_blocking=True)


@move_to.register
def _(obj: dict, device: torch.device) -> dict:
    return dict((k, move_to(v, device)) for k, v in obj.items())


@move_to.register
def _(obj: list, device: torch.device) -> list:
    return list(map(lambda item: move_to(item, device), obj))


@move_to.register
def _(obj: tuple, device: torch.device) -> tuple:
    return tuple(map(lambda item: move_to(item, device), obj))


@torch.inference_mode()
def _sums(model: nn.Module, loader: Any, device: torch.device) -> tuple[torch.Tensor, torch.Tensor, int]:
    criterion = nn.CrossEntropyLoss()  # mean per batch, re-weighted by the batch size below
    loss_sum = torch.zeros((), dtype=torch.float64, device=device)
    correct = torch.zeros((), dtype=torch.long, device=device)
    count = 0
    for inputs, targets in loader:
        inputs, targets = move_to(inputs, device), move_to(targets, device)
        outputs = model(inputs)
        batch = targets.shape[0]
        loss_sum += criterion(outputs, targets).double() * batch
        _, predicted = torch.max(outputs, 1)
        correct += (predicted == targets).sum()
        count += batch
    return loss_sum, correct, count


def evaluate(model: nn.Module, loader: Any, device: torch.device) -> dict[str, float]:
    mode = model.training
    model.to(device)
    model.eval()
    try:
        loss_sum, correct, count = _sums(model, loader, device)
    finally:
        model.train(mode)
    if not count:
        raise ValueError("empty loader")
    return {"loss": float(loss_sum.item() / count), "accuracy": float(correct.item()) / count}
