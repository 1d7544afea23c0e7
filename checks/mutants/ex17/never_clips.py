# Mutant: ignores max_norm: the gradients are never clipped.
from __future__ import annotations

import torch


def amp_train_step(model, optimizer, loss_fn, x, y, scaler, device_type="cpu", dtype=torch.bfloat16, max_norm=None):
    optimizer.zero_grad()
    with torch.autocast(device_type, dtype=dtype):
        loss = loss_fn(model(x), y)
    scaler.scale(loss).backward()
    scaler.step(optimizer)
    scaler.update()
    return loss.item()
