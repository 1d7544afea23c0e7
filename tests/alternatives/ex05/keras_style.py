# Style: Keras-like rule (val + min_delta < best, NaN via v != v), numpy for the maths, an in-memory deepcopy of the best weights, atomic write (tmp + os.replace), pathlib.
from __future__ import annotations

import copy
import os
import tempfile
from pathlib import Path

import numpy as np
import torch
from torch import nn


class EarlyStoppingWithCheckpoint:
    def __init__(self, patience: int = 5, checkpoint_path: str | os.PathLike = "best_model.pth",
                 verbose: bool = True, min_delta: float = 0.0) -> None:
        if not patience >= 1:
            raise ValueError("patience must be a positive integer")
        if not min_delta >= 0:
            raise ValueError("min_delta must be >= 0")
        self.patience, self.min_delta, self.verbose = patience, min_delta, verbose
        self.path = Path(os.fspath(checkpoint_path))
        self.best_loss = None
        self.counter = 0
        self.early_stop = False
        self._best_state = None

    def _improves(self, current: float) -> bool:
        if current != current:  # NaN
            return False
        return self.best_loss is None or bool(np.less(current + self.min_delta, self.best_loss))

    def __call__(self, val_loss, model: nn.Module) -> bool:
        current = val_loss.item() if isinstance(val_loss, torch.Tensor) else float(val_loss)
        if self._improves(current):
            self.best_loss, self.counter = current, 0
            self._best_state = copy.deepcopy(model.state_dict())
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=self.path.parent)
            with os.fdopen(fd, "wb") as f:
                torch.save(self._best_state, f)
            os.replace(tmp, self.path)
            if self.verbose:
                print(f"[EarlyStopping] best {current:.6f} saved to {self.path}")
        else:
            self.counter += 1
            if self.counter >= self.patience:
                self.early_stop = True
            if self.verbose:
                print(f"[EarlyStopping] {self.counter}/{self.patience} without improvement")
        return self.early_stop

    def load_best_model(self, model: nn.Module) -> nn.Module:
        if self._best_state is None:
            raise FileNotFoundError(f"EarlyStoppingWithCheckpoint: nothing saved at {self.path} yet")
        model.load_state_dict(self._best_state)  # copies into the model's own device
        return model
