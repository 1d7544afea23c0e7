# Mutant: loads only the checkpoint entries whose names and shapes fit the model (the forgiving load copied from fine-tuning code), so another model's checkpoint restores part of it or nothing, silently.

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Any

import torch
from torch import nn


def save_checkpoint(path: str | os.PathLike, model: nn.Module, optimizer: torch.optim.Optimizer,
                    epoch: int, loss: float, scheduler: torch.optim.lr_scheduler.LRScheduler | None = None) -> None:
    checkpoint: dict[str, Any] = {
        "epoch": epoch,
        "model_state_dict": model.state_dict(),
        "optimizer_state_dict": optimizer.state_dict(),
        "loss": loss,
    }
    if scheduler is not None:
        checkpoint["scheduler_state_dict"] = scheduler.state_dict()
    target = Path(path)
    # A temporary file in the same folder (same file system), so os.replace is atomic:
    # path holds either the old checkpoint or the complete new one, never half of one.
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as f:
            torch.save(checkpoint, f)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, target)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise


def load_checkpoint(path: str | os.PathLike, model: nn.Module, optimizer: torch.optim.Optimizer | None = None,
                    scheduler: torch.optim.lr_scheduler.LRScheduler | None = None,
                    map_location: Any = None) -> tuple[int, float]:
    if not os.path.isfile(path):
        raise FileNotFoundError(f"no checkpoint at {path}")
    checkpoint = torch.load(path, map_location=map_location, weights_only=True)
    own = model.state_dict()
    fitting = {k: v for k, v in checkpoint["model_state_dict"].items() if k in own and v.shape == own[k].shape}
    own.update(fitting)
    model.load_state_dict(own)
    if optimizer is not None:
        optimizer.load_state_dict(checkpoint["optimizer_state_dict"])
    if scheduler is not None:
        scheduler.load_state_dict(checkpoint["scheduler_state_dict"])
    return checkpoint["epoch"], checkpoint["loss"]
