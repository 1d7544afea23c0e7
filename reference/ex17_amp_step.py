"""Reference solution for exercise 17: a mixed-precision training step."""

from __future__ import annotations

import torch
from torch import nn


def amp_train_step(model: nn.Module, optimizer: torch.optim.Optimizer, loss_fn, x: torch.Tensor,
                   y: torch.Tensor, scaler: torch.amp.GradScaler, device_type: str = "cpu",
                   dtype: torch.dtype = torch.bfloat16, max_norm: float | None = None) -> float:
    optimizer.zero_grad()
    with torch.autocast(device_type, dtype=dtype):
        loss = loss_fn(model(x), y)
    scaler.scale(loss).backward()
    if max_norm is not None:
        scaler.unscale_(optimizer)  # the gradients in their true units before measuring their norm
        torch.nn.utils.clip_grad_norm_(model.parameters(), max_norm)
    scaler.step(optimizer)  # skips the step when a gradient is inf / NaN
    scaler.update()
    return loss.item()
