# Style: uuid-named sibling opened with open(..., "xb"), shutil.move into place, map_location normalised (str -> torch.device), keys validated on load.
import os
import shutil
import uuid

import torch

REQUIRED = ("epoch", "model_state_dict", "optimizer_state_dict", "loss")


def save_checkpoint(path, model, optimizer, epoch, loss, scheduler=None):
    ckpt = {"epoch": epoch, "model_state_dict": model.state_dict(),
            "optimizer_state_dict": optimizer.state_dict(), "loss": loss}
    if scheduler is not None:
        ckpt["scheduler_state_dict"] = scheduler.state_dict()
    tmp = os.path.join(os.path.dirname(os.path.abspath(path)), f".{uuid.uuid4().hex}.tmp")
    try:
        with open(tmp, "xb") as f:
            torch.save(ckpt, f)
            f.flush()
            os.fsync(f.fileno())
        shutil.move(tmp, path)  # a rename on the same file system
    except Exception:
        if os.path.exists(tmp):
            os.remove(tmp)
        raise


def load_checkpoint(path, model, optimizer=None, scheduler=None, map_location=None):
    if not os.path.isfile(path):
        raise FileNotFoundError(path)
    if isinstance(map_location, str):
        map_location = torch.device(map_location)
    ckpt = torch.load(path, map_location=map_location, weights_only=True)
    missing = [k for k in REQUIRED if k not in ckpt]
    if missing:
        raise KeyError(f"checkpoint is missing {missing}")
    model.load_state_dict(ckpt["model_state_dict"])
    if optimizer is not None:
        optimizer.load_state_dict(ckpt["optimizer_state_dict"])
    if scheduler is not None and "scheduler_state_dict" in ckpt:
        scheduler.load_state_dict(ckpt["scheduler_state_dict"])
    epoch, loss = ckpt["epoch"], ckpt["loss"]
    print(f"resumed from epoch {epoch} (loss {loss:.4f})")
    return epoch, loss
