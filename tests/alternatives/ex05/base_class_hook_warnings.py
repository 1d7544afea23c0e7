# Style: inheritance — a plain EarlyStopping base (the rule) and a subclass adding the checkpoint through an on_improvement hook; numpy for the NaN test; a warning (not a print) for NaN.
from __future__ import annotations

import os
import warnings
from pathlib import Path

import numpy as np
import torch
from torch import nn


class EarlyStopping:
    def __init__(self, patience: int = 5, verbose: bool = True, min_delta: float = 0.0) -> None:
        if patience < 1:
            raise ValueError("patience must be at least 1")
        if min_delta < 0:
            raise ValueError("min_delta must not be negative")
        self.patience, self.verbose, self.min_delta = patience, verbose, min_delta
        self.best_loss: float | None = None
        self.counter = 0
        self.early_stop = False

    def on_improvement(self, model: nn.Module) -> None:
        pass

    def __call__(self, val_loss, model: nn.Module) -> bool:
        loss = float(np.asarray(val_loss.detach().cpu() if torch.is_tensor(val_loss) else val_loss))
        if np.isnan(loss):
            warnings.warn("validation loss is NaN", RuntimeWarning, stacklevel=2)
        elif self.best_loss is None or loss < self.best_loss - self.min_delta:
            self.best_loss, self.counter = loss, 0
            self.on_improvement(model)
            return self.early_stop
        self.counter += 1
        if self.counter >= self.patience:
            self.early_stop = True
            if self.verbose:
                print(f"early stopping after {self.counter} epochs without improvement")
        return self.early_stop


class EarlyStoppingWithCheckpoint(EarlyStopping):
    def __init__(self, patience: int = 5, checkpoint_path: str | os.PathLike = "best_model.pth",
                 verbose: bool = True, min_delta: float = 0.0) -> None:
        super().__init__(patience=patience, verbose=verbose, min_delta=min_delta)
        self.checkpoint_path = Path(checkpoint_path)

    def on_improvement(self, model: nn.Module) -> None:
        self.checkpoint_path.parent.mkdir(parents=True, exist_ok=True)
        torch.save(model.state_dict(), self.checkpoint_path)
        if self.verbose:
            print(f"improved to {self.best_loss:.4f}, saved to {self.checkpoint_path}")

    def load_best_model(self, model: nn.Module) -> nn.Module:
        if self.best_loss is None:
            raise FileNotFoundError(f"no checkpoint yet at {self.checkpoint_path}")
        device = next(iter(model.state_dict().values())).device
        model.load_state_dict(torch.load(self.checkpoint_path, map_location=device, weights_only=True))
        return model
