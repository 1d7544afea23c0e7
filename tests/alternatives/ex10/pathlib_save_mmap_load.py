# Style: pathlib throughout: torch.save to a Path (with_suffix temp), Path.replace; mmap=True load; deep-copied state dicts.
import copy
from pathlib import Path

import torch


def save_checkpoint(path, model, optimizer, epoch, loss, scheduler=None):
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    ckpt = {
        "epoch": int(epoch),
        "loss": float(loss),
        "model_state_dict": copy.deepcopy(model.state_dict()),
        "optimizer_state_dict": copy.deepcopy(optimizer.state_dict()),
    }
    if scheduler is not None:
        ckpt["scheduler_state_dict"] = copy.deepcopy(scheduler.state_dict())
    tmp = target.with_suffix(target.suffix + ".partial")
    try:
        torch.save(ckpt, tmp)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    tmp.replace(target)


def load_checkpoint(path, model, optimizer=None, scheduler=None, map_location=None):
    target = Path(path)
    if not target.is_file():
        raise FileNotFoundError(f"No checkpoint found at '{target}'")
    ckpt = torch.load(target, map_location=map_location, weights_only=True, mmap=True)
    model.load_state_dict(ckpt["model_state_dict"])
    if optimizer is not None:
        optimizer.load_state_dict(ckpt["optimizer_state_dict"])
    if scheduler is not None:
        scheduler.load_state_dict(ckpt["scheduler_state_dict"])
    return ckpt["epoch"], ckpt["loss"]
