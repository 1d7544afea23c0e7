# Style: keeps the previous checkpoint as a ".bak" copy (shutil.copy2) before an atomic temp-then-os.replace save; contextlib.suppress cleanup.
import contextlib
import os

import shutil

import torch

def save_checkpoint(path, model, optimizer, epoch, loss, scheduler=None):
    if os.path.exists(path):
        shutil.copy2(path, path + ".bak")  # one older checkpoint to fall back on
    checkpoint = {"epoch": epoch, "loss": loss, "model_state_dict": model.state_dict(),
                  "optimizer_state_dict": optimizer.state_dict()}
    if scheduler is not None:
        checkpoint["scheduler_state_dict"] = scheduler.state_dict()
    tmp = path + ".writing"
    try:
        torch.save(checkpoint, tmp)
        os.replace(tmp, path)
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.remove(tmp)

def load_checkpoint(path, model, optimizer=None, scheduler=None, map_location=None):
    if not os.path.exists(path):
        raise FileNotFoundError(f"checkpoint not found: {path}")
    checkpoint = torch.load(path, map_location=map_location, weights_only=True)
    model.load_state_dict(checkpoint["model_state_dict"])
    if optimizer is not None:
        optimizer.load_state_dict(checkpoint["optimizer_state_dict"])
    if scheduler is not None:
        scheduler.load_state_dict(checkpoint["scheduler_state_dict"])
    return checkpoint["epoch"], checkpoint["loss"]
