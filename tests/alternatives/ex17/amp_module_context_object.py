# Style: torch.amp.autocast kept as a context object, model.zero_grad(), the optimizer's own parameter groups clipped with foreach, a step report kept in a dataclass.
from __future__ import annotations

from dataclasses import dataclass

import torch
from torch import nn


@dataclass
class StepReport:
    loss: float
    scale_before: float


def _optimizer_parameters(optimizer):
    return [p for group in optimizer.param_groups for p in group["params"]]


def amp_train_step(model: nn.Module, optimizer: torch.optim.Optimizer, loss_fn, x: torch.Tensor, y: torch.Tensor,
                   scaler: torch.amp.GradScaler, device_type: str = "cpu", dtype: torch.dtype = torch.bfloat16,
                   max_norm: float | None = None) -> float:
    model.zero_grad()
    optimizer.zero_grad()
    mixed = torch.amp.autocast(device_type, dtype=dtype)
    with mixed:
        prediction = model(x)
        loss = loss_fn(prediction, y)
    report = StepReport(loss=loss.float().item(), scale_before=scaler.get_scale())
    scaler.scale(loss).backward()
    if max_norm is not None:
        scaler.unscale_(optimizer)
        torch.nn.utils.clip_grad_norm_(_optimizer_parameters(optimizer), max_norm, foreach=True)
    scaler.step(optimizer)
    scaler.update()
    return report.loss
