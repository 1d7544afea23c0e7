# Style: state copied to cpu before saving, bytes serialized in memory and written with os.open/os.write + fsync, EAFP FileNotFoundError.
"""State moved to cpu copies before saving (device independent files), bytes through BytesIO, os.open + fsync."""
from __future__ import annotations

import io
import os
import uuid
from typing import Any

import torch


def _to_cpu(obj: Any) -> Any:
    if isinstance(obj, torch.Tensor):
        return obj.detach().cpu().clone()
    if isinstance(obj, dict):
        return {k: _to_cpu(v) for k, v in obj.items()}
    if isinstance(obj, list):
        return [_to_cpu(v) for v in obj]
    if isinstance(obj, tuple):
        return tuple(_to_cpu(v) for v in obj)
    return obj


def save_checkpoint(path, model, optimizer, epoch, loss, scheduler=None):
    payload = {
        "model_state_dict": _to_cpu(model.state_dict()),
        "optimizer_state_dict": _to_cpu(optimizer.state_dict()),
        "epoch": epoch,
        "loss": loss,
    }
    if scheduler is not None:
        payload["scheduler_state_dict"] = _to_cpu(scheduler.state_dict())
    buffer = io.BytesIO()
    torch.save(payload, buffer)
    data = buffer.getvalue()
    folder = os.path.dirname(os.path.abspath(path))
    tmp = os.path.join(folder, f".tmp-{uuid.uuid4().hex}")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
    try:
        view = memoryview(data)
        while view:
            written = os.write(fd, view)
            view = view[written:]
        os.fsync(fd)
    except BaseException:
        os.close(fd)
        os.unlink(tmp)
        raise
    os.close(fd)
    os.replace(tmp, path)


def load_checkpoint(path, model, optimizer=None, scheduler=None, map_location=None):
    try:
        with open(path, "rb") as f:
            state = torch.load(f, map_location=map_location, weights_only=True)
    except FileNotFoundError:
        raise FileNotFoundError(f"checkpoint {path!r} does not exist") from None
    model.load_state_dict(state["model_state_dict"])
    if optimizer is not None:
        optimizer.load_state_dict(state["optimizer_state_dict"])
    if scheduler is not None and "scheduler_state_dict" in state:
        scheduler.load_state_dict(state["scheduler_state_dict"])
    return (state["epoch"], state["loss"])
