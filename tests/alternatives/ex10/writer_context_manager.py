# Style: an atomic-writer context manager (NamedTemporaryFile + Path.replace), lets torch.load raise FileNotFoundError itself, loop over (object, key).
"""Relies on torch.load raising FileNotFoundError; class-based writer; pathlib everywhere."""
from pathlib import Path
import tempfile

import torch


class _AtomicWriter:
    def __init__(self, target):
        self.target = Path(target)
        self.tmp = None

    def __enter__(self):
        handle = tempfile.NamedTemporaryFile(dir=self.target.parent, delete=False, suffix=".ckpt")
        self.tmp = Path(handle.name)
        return handle

    def __exit__(self, exc_type, exc, tb):
        if exc_type is None:
            self.tmp.replace(self.target)
        else:
            self.tmp.unlink(missing_ok=True)
        return False


def save_checkpoint(path, model, optimizer, epoch, loss, scheduler=None):
    content = {"epoch": epoch, "loss": loss}
    content.update(model_state_dict=model.state_dict(), optimizer_state_dict=optimizer.state_dict())
    if scheduler is not None:
        content.update(scheduler_state_dict=scheduler.state_dict())
    with _AtomicWriter(path) as handle:
        with handle:
            torch.save(content, handle)


def load_checkpoint(path, model, optimizer=None, scheduler=None, map_location=None):
    content = torch.load(Path(path), map_location=map_location, weights_only=True)
    model.load_state_dict(content["model_state_dict"])
    for obj, key in ((optimizer, "optimizer_state_dict"), (scheduler, "scheduler_state_dict")):
        if obj is not None:
            obj.load_state_dict(content[key])
    epoch, loss = content["epoch"], content["loss"]
    return epoch, loss
