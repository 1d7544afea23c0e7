# Style: fixed sibling name path + ".tmp", torch.save to str path, os.replace; extra keys (torch/python RNG states); opens the file itself to load.
import os
import random

import torch


def save_checkpoint(path, model, optimizer, epoch, loss, scheduler=None):
    checkpoint = {
        "epoch": epoch,
        "model_state_dict": model.state_dict(),
        "optimizer_state_dict": optimizer.state_dict(),
        "loss": loss,
        # extras a careful learner adds so that data shuffling resumes too
        "torch_rng_state": torch.get_rng_state(),
        "python_rng_state": random.getstate(),
    }
    if scheduler is not None:
        checkpoint["scheduler_state_dict"] = scheduler.state_dict()
    tmp_path = str(path) + ".tmp"
    torch.save(checkpoint, tmp_path)
    os.replace(tmp_path, path)


def load_checkpoint(path, model, optimizer=None, scheduler=None, map_location=None):
    with open(path, "rb") as f:  # FileNotFoundError when missing
        checkpoint = torch.load(f, map_location=map_location, weights_only=True)
    model.load_state_dict(checkpoint["model_state_dict"], strict=True)
    if optimizer is not None:
        optimizer.load_state_dict(checkpoint["optimizer_state_dict"])
    if scheduler is not None:
        scheduler.load_state_dict(checkpoint["scheduler_state_dict"])
    return checkpoint["epoch"], checkpoint["loss"]
