# Style: a small Checkpoint dataclass turned into a dict with asdict-like helper, os.rename of a pid-named temp, logging instead of print, try/except FileNotFoundError re-raised with a friendlier message.
import logging
import os
from dataclasses import dataclass, field

import torch

log = logging.getLogger(__name__)


@dataclass
class _Checkpoint:
    epoch: int
    loss: float
    model_state_dict: dict
    optimizer_state_dict: dict
    extra: dict = field(default_factory=dict)

    def to_dict(self):
        d = {"epoch": self.epoch, "loss": self.loss,
             "model_state_dict": self.model_state_dict,
             "optimizer_state_dict": self.optimizer_state_dict}
        d.update(self.extra)
        return d


def save_checkpoint(path, model, optimizer, epoch, loss, scheduler=None):
    extra = {"scheduler_state_dict": scheduler.state_dict()} if scheduler is not None else {}
    ckpt = _Checkpoint(epoch, loss, model.state_dict(), optimizer.state_dict(), extra)
    tmp = f"{path}.{os.getpid()}.tmp"
    torch.save(ckpt.to_dict(), tmp)
    os.rename(tmp, path)
    log.info("saved checkpoint for epoch %d to %s", epoch, path)


def load_checkpoint(path, model, optimizer=None, scheduler=None, map_location=None):
    try:
        data = torch.load(path, map_location=map_location, weights_only=True)
    except FileNotFoundError as exc:
        raise FileNotFoundError(f"checkpoint {path!r} does not exist") from exc
    model.load_state_dict(data["model_state_dict"])
    if optimizer is not None:
        optimizer.load_state_dict(data["optimizer_state_dict"])
    if scheduler is not None:
        scheduler.load_state_dict(data["scheduler_state_dict"])
    log.info("loaded checkpoint from %s", path)
    return data["epoch"], data["loss"]
