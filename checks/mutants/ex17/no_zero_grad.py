# Mutant: forgets optimizer.zero_grad(), so gradients left from before the call are added in.
from __future__ import annotations

import torch


def amp_train_step(model, optimizer, loss_fn, x, y, scaler, device_type="cpu", dtype=torch.bfloat16, max_norm=None):
    with torch.autocast(device_type, dtype=dtype):
        loss = loss_fn(model(x), y)
    scaler.scale(loss).backward()
    if max_norm is not None:
        scaler.unscale_(optimizer)
        torch.nn.utils.clip_grad_norm_(model.parameters(), max_norm)
    scaler.step(optimizer)
    scaler.update()
    return loss.item()
