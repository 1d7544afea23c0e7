# Mutant: tests `if max_norm:`, so max_norm = 0.0 is treated as not given.
from __future__ import annotations

import torch


def amp_train_step(model, optimizer, loss_fn, x, y, scaler, device_type="cpu", dtype=torch.bfloat16, max_norm=None):
    optimizer.zero_grad()
    with torch.autocast(device_type, dtype=dtype):
        loss = loss_fn(model(x), y)
    scaler.scale(loss).backward()
    if max_norm:
        scaler.unscale_(optimizer)
        torch.nn.utils.clip_grad_norm_(model.parameters(), max_norm)
    scaler.step(optimizer)
    scaler.update()
    return loss.item()
