# Style: a dataclass with init=False state fields and __post_init__ validation; os.fspath + os.makedirs of the absolute dirname; file opened with a context manager for save and load.
from __future__ import annotations

import math
import os
from dataclasses import dataclass, field

import torch
from torch import Tensor, nn


@dataclass
class EarlyStoppingWithCheckpoint:
    patience: int = 5
    checkpoint_path: str | os.PathLike = "best_model.pth"
    verbose: bool = True
    min_delta: float = 0.0
    best_loss: float | None = field(default=None, init=False)
    counter: int = field(default=0, init=False)
    early_stop: bool = field(default=False, init=False)

    def __post_init__(self) -> None:
        if self.patience < 1:
            raise ValueError("patience must be >= 1")
        if self.min_delta < 0:
            raise ValueError("min_delta must be >= 0")
        self.checkpoint_path = os.fspath(self.checkpoint_path)

    def __call__(self, val_loss: float | Tensor, model: nn.Module) -> bool:
        val_loss = float(val_loss)
        if not math.isnan(val_loss) and (self.best_loss is None or val_loss < self.best_loss - self.min_delta):
            self.best_loss, self.counter = val_loss, 0
            os.makedirs(os.path.dirname(os.path.abspath(self.checkpoint_path)), exist_ok=True)
            with open(self.checkpoint_path, "wb") as f:
                torch.save(model.state_dict(), f)
            if self.verbose:
                print(f"saved {self.checkpoint_path} (val_loss={val_loss:.6f})")
        else:
            self.counter += 1
            if self.verbose:
                print(f"no improvement for {self.counter} epoch(s)")
            if self.counter >= self.patience:
                self.early_stop = True
        return self.early_stop

    def load_best_model(self, model: nn.Module) -> nn.Module:
        if not os.path.exists(self.checkpoint_path) or self.best_loss is None:
            raise FileNotFoundError(f"no checkpoint at {self.checkpoint_path}: nothing has improved yet")
        device = next(model.parameters()).device
        with open(self.checkpoint_path, "rb") as f:
            model.load_state_dict(torch.load(f, map_location=device, weights_only=True))
        return model
