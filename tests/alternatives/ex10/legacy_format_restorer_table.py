# Style: legacy (non-zip) torch.save format into a BytesIO, NamedTemporaryFile("wb") write + flush + fsync, os.replace; a name -> key table drives saving and restoring.
import io
import os
import tempfile

import torch

_KEYS = {"model": "model_state_dict", "optimizer": "optimizer_state_dict", "scheduler": "scheduler_state_dict"}


def save_checkpoint(path, model, optimizer, epoch, loss, scheduler=None):
    objects = {"model": model, "optimizer": optimizer, "scheduler": scheduler}
    checkpoint = {_KEYS[name]: obj.state_dict() for name, obj in objects.items() if obj is not None}
    checkpoint.update(epoch=epoch, loss=loss)
    buf = io.BytesIO()
    torch.save(checkpoint, buf, _use_new_zipfile_serialization=False)
    directory = os.path.dirname(os.path.abspath(path))
    with tempfile.NamedTemporaryFile("wb", dir=directory, delete=False) as handle:
        handle.write(buf.getbuffer())
        handle.flush()
        os.fsync(handle.fileno())
    try:
        os.replace(handle.name, path)
    except OSError:
        os.unlink(handle.name)
        raise


def load_checkpoint(path, model, optimizer=None, scheduler=None, map_location=None):
    checkpoint = torch.load(path, map_location=map_location, weights_only=True)
    objects = {"model": model, "optimizer": optimizer, "scheduler": scheduler}
    for name, obj in objects.items():
        if obj is not None:
            obj.load_state_dict(checkpoint[_KEYS[name]])
    return checkpoint["epoch"], checkpoint["loss"]
