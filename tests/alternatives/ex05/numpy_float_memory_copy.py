# Style: best_loss as np.float64 (a float subclass), rule best - v > min_delta, calls ignored once stopped, detached cpu copy kept in memory and written through an open file, a history list and a _log helper.
from __future__ import annotations
import copy, os
import numpy as np
import torch

class EarlyStoppingWithCheckpoint:
    def __init__(self, patience: int = 5, checkpoint_path="best_model.pth", verbose: bool = True, min_delta: float = 0.0):
        if not patience >= 1:
            raise ValueError(f"patience={patience!r}: must be a positive integer")
        if not min_delta >= 0:
            raise ValueError(f"min_delta={min_delta!r}: must be >= 0")
        self.patience = int(patience)
        self.checkpoint_path = os.fspath(checkpoint_path)
        self.verbose = bool(verbose)
        self.min_delta = min_delta
        self.best_loss = None
        self.counter = 0
        self.early_stop = False
        self._best_state = None
        self.history = []

    def _log(self, *args):
        if self.verbose:
            print("[EarlyStopping]", *args)

    def __call__(self, val_loss, model):
        if self.early_stop:
            return True
        value = np.float64(val_loss.detach().cpu().item() if torch.is_tensor(val_loss) else val_loss)
        self.history.append(value)
        if np.isnan(value):
            better = False
        elif self.best_loss is None:
            better = True
        else:
            better = self.best_loss - value > self.min_delta
        if better:
            self.best_loss, self.counter = value, 0
            self._best_state = {k: t.detach().cpu().clone() for k, t in model.state_dict().items()}
            folder = os.path.dirname(self.checkpoint_path)
            if folder:
                os.makedirs(folder, exist_ok=True)
            with open(self.checkpoint_path, "wb") as fh:
                torch.save(self._best_state, fh)
            self._log(f"new best {value:.6f}, saved to {self.checkpoint_path}")
        else:
            self.counter += 1
            self._log(f"no improvement for {self.counter} epoch(s)")
            if self.counter >= self.patience:
                self.early_stop = True
                self._log("stopping")
        return self.early_stop

    def load_best_model(self, model):
        if self._best_state is None:
            raise FileNotFoundError(f"no checkpoint saved yet ({self.checkpoint_path})")
        model.load_state_dict(copy.deepcopy(self._best_state))
        self._log("best weights restored")
        return model
