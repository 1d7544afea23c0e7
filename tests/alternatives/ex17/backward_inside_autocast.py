# Style: backward called inside the autocast block, zero_grad(set_to_none=True), unscale_ on every step (clipping only when asked), float(loss).
from __future__ import annotations

import torch
from torch import nn


def amp_train_step(model, optimizer, loss_fn, x, y, scaler, device_type="cpu", dtype=torch.bfloat16, max_norm=None):
    optimizer.zero_grad(set_to_none=True)
    with torch.autocast(device_type=device_type, dtype=dtype, enabled=True):
        logits = model(x)
        loss = loss_fn(logits, y)
        scaler.scale(loss).backward()
    scaler.unscale_(optimizer)
    if max_norm is not None:
        nn.utils.clip_grad_norm_(model.parameters(), max_norm=max_norm)
    scaler.step(optimizer)
    scaler.update()
    return float(loss.detach())
