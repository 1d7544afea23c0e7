# Style: atomic save through tempfile.NamedTemporaryFile in the target folder + os.replace; a CPU-cloned plain dict is saved; Path throughout; rule via an improves() helper.
from __future__ import annotations

import math
import os
import tempfile
from pathlib import Path

import torch
from torch import Tensor, nn


def improves(loss: float, best: float | None, min_delta: float) -> bool:
    """Strictly better than best by more than min_delta; NaN never is."""
    if math.isnan(loss):
        return False
    return best is None or loss < best - min_delta


class EarlyStoppingWithCheckpoint:
    def __init__(self, patience: int = 5, checkpoint_path: str | os.PathLike = "best_model.pth",
                 verbose: bool = True, min_delta: float = 0.0) -> None:
        if patience < 1:
            raise ValueError("patience must be a positive integer")
        if min_delta < 0:
            raise ValueError("min_delta cannot be negative")
        self.patience, self.min_delta, self.verbose = patience, min_delta, verbose
        self.path = Path(checkpoint_path)
        self.best_loss: float | None = None
        self.counter = 0
        self.early_stop = False

    def _save(self, model: nn.Module) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        state = {k: v.detach().cpu().clone() for k, v in model.state_dict().items()}
        with tempfile.NamedTemporaryFile(dir=self.path.parent, suffix=".tmp", delete=False) as tmp:
            torch.save(state, tmp)
        os.replace(tmp.name, self.path)

    def __call__(self, val_loss: float | Tensor, model: nn.Module) -> bool:
        loss = val_loss.item() if isinstance(val_loss, Tensor) else float(val_loss)
        if improves(loss, self.best_loss, self.min_delta):
            self.best_loss, self.counter = loss, 0
            self._save(model)
            if self.verbose:
                print(f"[checkpoint] best so far: {loss:.5f}")
            return self.early_stop
        self.counter += 1
        self.early_stop = self.early_stop or self.counter >= self.patience
        if self.verbose:
            print(f"[early stopping] {self.counter}/{self.patience}" + (" -> stop" if self.early_stop else ""))
        return self.early_stop

    def load_best_model(self, model: nn.Module) -> nn.Module:
        if not self.path.exists() or self.best_loss is None:
            raise FileNotFoundError(f"{self.path} does not exist yet")
        model.load_state_dict(torch.load(self.path, weights_only=True))  # copies into the model's own device
        return model
