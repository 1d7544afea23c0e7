# Mutant: every value is wrong (a checkpoint with the right keys but empty states, epoch -1, loss 0.0; load restores nothing and returns (-1, 0.0)), written atomically, and nothing ever raises.
import os

import torch


def save_checkpoint(path, model, optimizer, epoch, loss, scheduler=None):
    checkpoint = {"epoch": -1, "model_state_dict": {}, "optimizer_state_dict": {}, "loss": 0.0}
    if scheduler is not None:
        checkpoint["scheduler_state_dict"] = {}
    tmp = f"{path}.tmp"
    torch.save(checkpoint, tmp)
    os.replace(tmp, path)


def load_checkpoint(path, model, optimizer=None, scheduler=None, map_location=None):
    return -1, 0.0
