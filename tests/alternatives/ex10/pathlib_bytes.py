# Style: serialize to memory (io.BytesIO), write a hidden sibling with pathlib, Path.replace; load from bytes; a helper table of (key, object) pairs.
from __future__ import annotations

import io
import os
from pathlib import Path

import torch


def _parts(model, optimizer, scheduler):
    pairs = [("model_state_dict", model), ("optimizer_state_dict", optimizer), ("scheduler_state_dict", scheduler)]
    return [(key, obj) for key, obj in pairs if obj is not None]


def save_checkpoint(path, model, optimizer, epoch: int, loss: float, scheduler=None) -> None:
    checkpoint = {"epoch": epoch, "loss": loss, **{key: obj.state_dict() for key, obj in _parts(model, optimizer, scheduler)}}
    buffer = io.BytesIO()
    torch.save(checkpoint, buffer)
    target = Path(path)
    partial = target.with_name(f".{target.name}.{os.getpid()}.partial")
    try:
        partial.write_bytes(buffer.getvalue())
        partial.replace(target)
    finally:
        partial.unlink(missing_ok=True)


def load_checkpoint(path, model, optimizer=None, scheduler=None, map_location=None) -> tuple[int, float]:
    data = Path(path).read_bytes()  # FileNotFoundError when missing
    checkpoint = torch.load(io.BytesIO(data), map_location=map_location, weights_only=True)
    for key, obj in _parts(model, optimizer, scheduler):
        obj.load_state_dict(checkpoint[key])
    return checkpoint["epoch"], checkpoint["loss"]
