# Style: mkstemp + os.close(fd) then torch.save to the temp name, try/finally cleanup, fsync of the folder after os.replace, errno-style FileNotFoundError.
import errno
import os
import tempfile

import torch


def _fsync_dir(folder):
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def save_checkpoint(path, model, optimizer, epoch, loss, scheduler=None):
    path = os.fspath(path)
    folder = os.path.dirname(os.path.abspath(path))
    state = {"epoch": epoch, "loss": loss,
             "model_state_dict": model.state_dict(),
             "optimizer_state_dict": optimizer.state_dict()}
    if scheduler is not None:
        state["scheduler_state_dict"] = scheduler.state_dict()
    fd, tmp_name = tempfile.mkstemp(dir=folder, suffix=".pt")
    os.close(fd)
    replaced = False
    try:
        torch.save(state, tmp_name)
        os.replace(tmp_name, path)
        replaced = True
        _fsync_dir(folder)
    finally:
        if not replaced and os.path.exists(tmp_name):
            os.remove(tmp_name)


def load_checkpoint(path, model, optimizer=None, scheduler=None, map_location=None):
    if not os.path.exists(path):
        raise FileNotFoundError(errno.ENOENT, os.strerror(errno.ENOENT), str(path))
    state = torch.load(path, map_location=map_location, weights_only=True)
    model.load_state_dict(state["model_state_dict"])
    if optimizer is not None:
        optimizer.load_state_dict(state["optimizer_state_dict"])
    if scheduler is not None:
        scheduler.load_state_dict(state["scheduler_state_dict"])
    return state["epoch"], state["loss"]
