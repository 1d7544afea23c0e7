"""Reference solution for exercise 5 — EarlyStoppingWithCheckpoint."""

from __future__ import annotations

import math
import os
from pathlib import Path

import torch
from torch import Tensor, nn


class EarlyStoppingWithCheckpoint:
    """Stops training after `patience` epochs without improvement; keeps the best weights on disk."""

    def __init__(self, patience: int = 5, checkpoint_path: str | os.PathLike = "best_model.pth",
                 verbose: bool = True, min_delta: float = 0.0) -> None:
        if patience < 1:
            raise ValueError(f"patience must be at least 1, got {patience}")
        if min_delta < 0:
            raise ValueError(f"min_delta must be non-negative, got {min_delta}")
        self.patience = patience
        self.checkpoint_path = Path(checkpoint_path)
        self.verbose = verbose
        self.min_delta = float(min_delta)
        self.best_loss: float | None = None
        self.counter = 0
        self.early_stop = False

    def __call__(self, val_loss: float | Tensor, model: nn.Module) -> bool:
        loss = float(val_loss)  # a 0-d tensor becomes a Python float
        improved = not math.isnan(loss) and (self.best_loss is None or loss < self.best_loss - self.min_delta)
        if improved:
            if self.verbose:
                previous = "—" if self.best_loss is None else f"{self.best_loss:.4f}"
                print(f"validation loss improved: {previous} -> {loss:.4f}; saving {self.checkpoint_path}")
            self.best_loss = loss
            self.counter = 0
            self.checkpoint_path.parent.mkdir(parents=True, exist_ok=True)
            torch.save(model.state_dict(), self.checkpoint_path)
        else:
            self.counter += 1
            if self.verbose:
                print(f"EarlyStopping counter: {self.counter}/{self.patience}")
            if self.counter >= self.patience:
                self.early_stop = True
        return self.early_stop

    def load_best_model(self, model: nn.Module) -> nn.Module:
        if self.best_loss is None or not self.checkpoint_path.is_file():
            raise FileNotFoundError(f"no checkpoint has been saved yet at {self.checkpoint_path}")
        # Load onto the device the target model lives on.
        device = next((t.device for t in model.state_dict().values()), torch.device("cpu"))
        state = torch.load(self.checkpoint_path, map_location=device, weights_only=True)
        model.load_state_dict(state)
        if self.verbose:
            print(f"restored the best model from {self.checkpoint_path} (loss={self.best_loss:.4f})")
        return model
