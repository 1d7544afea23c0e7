# Style: temporary folder (TemporaryDirectory inside the target folder) holding the new file, moved in with os.replace; map_location passed positionally.
import os
import tempfile

import torch


def save_checkpoint(path, model, optimizer, epoch, loss, scheduler=None):
    parent = os.path.dirname(os.path.abspath(path)) or "."
    payload = dict(
        epoch=epoch,
        model_state_dict=model.state_dict(),
        optimizer_state_dict=optimizer.state_dict(),
        loss=loss,
    )
    if scheduler is not None:
        payload["scheduler_state_dict"] = scheduler.state_dict()
    with tempfile.TemporaryDirectory(dir=parent) as staging:
        staged = os.path.join(staging, os.path.basename(path))
        torch.save(payload, staged)
        os.replace(staged, path)


def load_checkpoint(path, model, optimizer=None, scheduler=None, map_location=None):
    payload = torch.load(path, map_location, weights_only=True)
    model.load_state_dict(payload["model_state_dict"])
    if optimizer:
        optimizer.load_state_dict(payload["optimizer_state_dict"])
    if scheduler:
        scheduler.load_state_dict(payload["scheduler_state_dict"])
    return (payload["epoch"], payload["loss"])
