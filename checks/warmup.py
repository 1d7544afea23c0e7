"""Torch's first-use work, done once per process tree instead of once per check.

The first optimizer step imports `torch._dynamo` and wraps `Optimizer.step` (about a
second), the first tensor pickled caches copyreg's `__slotnames__`, the first DataLoader
imports its helpers. Each check runs in a process forked from the one that collected the
checks, so doing this work there (or, for a batch, once in the worker) saves it in every
check. Done before the guard's snapshot is taken for the checks, so none of it can look
like tampering later.

    from checks.warmup import warm_up_torch
    warm_up_torch()          # at the top of a check module whose checks train or save
"""

from __future__ import annotations

_done = False


def warm_up_torch() -> None:
    """Build, step, save and load a tiny model once (idempotent)."""
    global _done
    if _done:
        return
    import io

    import torch
    from torch.optim import lr_scheduler
    from torch.utils.data import DataLoader, TensorDataset

    layer = torch.nn.Linear(2, 1)
    for make in (torch.optim.SGD, torch.optim.Adam):
        opt = make(layer.parameters(), lr=0.1)
        sched = lr_scheduler.StepLR(opt, step_size=1)
        restarts = lr_scheduler.CosineAnnealingWarmRestarts(make(layer.parameters(), lr=0.1), T_0=2)
        restarts.optimizer.step()
        restarts.step()
        for x, y in DataLoader(TensorDataset(torch.zeros(4, 2), torch.zeros(4, 1)), batch_size=2):
            opt.zero_grad()
            torch.nn.functional.mse_loss(layer(x), y).backward()
            opt.step()
            sched.step()
        buffer = io.BytesIO()
        torch.save({"model": layer.state_dict(), "opt": opt.state_dict(), "sched": sched.state_dict()}, buffer)
        buffer.seek(0)
        torch.load(buffer, weights_only=True)
    with torch.no_grad():
        layer.eval()(torch.zeros(1, 2))
    _done = True
