# Style: best weights kept in memory (copy.deepcopy of the state_dict) and the file rewritten from that copy on every call; load_best_model from the in-memory copy; sys.stdout.write under verbose.
import copy
import math
import sys
from pathlib import Path

import torch


class EarlyStoppingWithCheckpoint:
    def __init__(self, patience=5, checkpoint_path="best_model.pth", verbose=True, min_delta=0.0):
        if not patience >= 1:
            raise ValueError("patience >= 1 required")
        if not min_delta >= 0:
            raise ValueError("min_delta >= 0 required")
        self.patience = patience
        self.checkpoint_path = Path(checkpoint_path)
        self.verbose = verbose
        self.min_delta = min_delta
        self.best_loss = None
        self.counter = 0
        self.early_stop = False
        self._best_state = None

    def __call__(self, val_loss, model):
        v = float(val_loss)
        if v == v and (self.best_loss is None or v < self.best_loss - self.min_delta):
            self.best_loss = v
            self.counter = 0
            self._best_state = copy.deepcopy(model.state_dict())
        else:
            self.counter += 1
            if self.counter >= self.patience:
                self.early_stop = True
        if self._best_state is not None:  # the file always mirrors the best copy
            self.checkpoint_path.parent.mkdir(parents=True, exist_ok=True)
            torch.save(self._best_state, self.checkpoint_path)
        if self.verbose:
            sys.stdout.write(f"val_loss={v:.4f} best={self.best_loss} counter={self.counter}\n")
        return self.early_stop

    def load_best_model(self, model):
        if self._best_state is None:
            raise FileNotFoundError("no best model saved yet")
        model.load_state_dict(self._best_state)
        return model
