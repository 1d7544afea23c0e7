# Style: logging under verbose, early_stop as a read-only property, rule on a float64 tensor (torch.isnan, loss + min_delta < best), map_location as a function, strict load.
from __future__ import annotations
import logging, math, os
from pathlib import Path
import torch

log = logging.getLogger("early_stopping")

class EarlyStoppingWithCheckpoint:
    def __init__(self, patience=5, checkpoint_path="best_model.pth", verbose=True, min_delta=0.0):
        if patience < 1:
            raise ValueError("patience must be at least 1")
        if min_delta < 0:
            raise ValueError("min_delta cannot be negative")
        self.patience, self.verbose, self.min_delta = patience, verbose, float(min_delta)
        self.checkpoint_path = Path(os.fspath(checkpoint_path)).expanduser()
        self.best_loss: float | None = None
        self.counter = 0
        self._stopped = False

    @property
    def early_stop(self) -> bool:
        return self._stopped

    def __call__(self, val_loss, model) -> bool:
        loss = torch.as_tensor(val_loss, dtype=torch.float64).detach().cpu()
        improved = bool(~torch.isnan(loss)) and (
            self.best_loss is None or bool(loss + self.min_delta < self.best_loss))
        if improved:
            self.best_loss = float(loss)
            self.counter = 0
            self.checkpoint_path.parent.mkdir(parents=True, exist_ok=True)
            torch.save(model.state_dict(), str(self.checkpoint_path))
            if self.verbose:
                log.warning("improved to %.4f", self.best_loss)
        else:
            self.counter += 1
            if self.verbose:
                log.warning("patience %d/%d", self.counter, self.patience)
            if self.counter >= self.patience:
                self._stopped = True
        return self._stopped

    def load_best_model(self, model):
        if not self.checkpoint_path.is_file() or self.best_loss is None:
            raise FileNotFoundError("there is no best checkpoint yet")
        target = next(iter(model.state_dict().values())).device
        state = torch.load(self.checkpoint_path, map_location=lambda storage, loc: storage.to(target) if target.type != "cpu" else storage)
        model.load_state_dict(state, strict=True)
        return model
