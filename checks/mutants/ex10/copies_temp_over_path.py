# Mutant: Writes a temporary file, then copies it over path (shutil.copyfile rewrites path in place: not atomic).
import os

import torch


def save_checkpoint(path, model, optimizer, epoch, loss, scheduler=None):
    checkpoint = {
        "epoch": epoch,
        "model_state_dict": model.state_dict(),
        "optimizer_state_dict": optimizer.state_dict(),
        "loss": loss,
    }
    if scheduler is not None:
        checkpoint["scheduler_state_dict"] = scheduler.state_dict()
    tmp_path = str(path) + ".tmp"
    torch.save(checkpoint, tmp_path)
    import shutil
    shutil.copyfile(tmp_path, path)
    os.remove(tmp_path)


def load_checkpoint(path, model, optimizer=None, scheduler=None, map_location=None):
    checkpoint = torch.load(path, map_location=map_location, weights_only=True)
    model.load_state_dict(checkpoint["model_state_dict"])
    if optimizer is not None:
        optimizer.load_state_dict(checkpoint["optimizer_state_dict"])
    if scheduler is not None:
        scheduler.load_state_dict(checkpoint["scheduler_state_dict"])
    return checkpoint["epoch"], checkpoint["loss"]
