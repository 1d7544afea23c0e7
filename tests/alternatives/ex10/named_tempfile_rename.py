# Style: tempfile.NamedTemporaryFile(dir=..., delete=False) + os.rename, dict built step by step, scheduler restored before the optimizer, values cast on return.
import os
import tempfile

import torch


def save_checkpoint(path, model, optimizer, epoch, loss, scheduler=None):
    state = dict(epoch=epoch, loss=loss)
    state["model_state_dict"] = model.state_dict()
    state["optimizer_state_dict"] = optimizer.state_dict()
    if scheduler:
        state["scheduler_state_dict"] = scheduler.state_dict()
    folder = os.path.dirname(os.path.abspath(path))
    tmp = tempfile.NamedTemporaryFile(dir=folder, prefix="ckpt-", suffix=".part", delete=False)
    try:
        with tmp:
            torch.save(state, tmp)
        os.rename(tmp.name, path)  # atomic on POSIX within one file system
    except Exception:
        if os.path.exists(tmp.name):
            os.remove(tmp.name)
        raise


def load_checkpoint(path, model, optimizer=None, scheduler=None, map_location=None):
    if not os.path.exists(path):
        raise FileNotFoundError(f"checkpoint not found: {path}")
    ckpt = torch.load(path, map_location=map_location)
    model.load_state_dict(ckpt["model_state_dict"])
    if scheduler is not None:
        scheduler.load_state_dict(ckpt["scheduler_state_dict"])
    if optimizer is not None:
        optimizer.load_state_dict(ckpt["optimizer_state_dict"])
    return int(ckpt["epoch"]), float(ckpt["loss"])
