# Mutant: makes a new GradScaler inside the step, so the caller's scaler never changes.
from __future__ import annotations

import torch


def amp_train_step(model, optimizer, loss_fn, x, y, scaler, device_type="cpu", dtype=torch.bfloat16, max_norm=None):
    own = torch.amp.GradScaler(device_type)
    optimizer.zero_grad()
    with torch.autocast(device_type, dtype=dtype):
        loss = loss_fn(model(x), y)
    own.scale(loss).backward()
    if max_norm is not None:
        own.unscale_(optimizer)
        torch.nn.utils.clip_grad_norm_(model.parameters(), max_norm)
    own.step(optimizer)
    own.update()
    return loss.item()
