# Style: a logging.FileHandler writing training.log beside the checkpoint when verbose (nothing on stdout/stderr), Path-based.
import logging
import math
from pathlib import Path

import torch


class EarlyStoppingWithCheckpoint:
    def __init__(self, patience=5, checkpoint_path="best_model.pth", verbose=True, min_delta=0.0):
        if patience < 1 or min_delta < 0:
            raise ValueError("patience must be >= 1 and min_delta >= 0")
        self.patience, self.verbose, self.min_delta = patience, verbose, min_delta
        self.path = Path(checkpoint_path)
        self.best_loss, self.counter, self.early_stop = None, 0, False
        self.log = logging.getLogger(f"es.{id(self)}")
        self.log.propagate = False
        if verbose:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self.log.addHandler(logging.FileHandler(self.path.with_suffix(".log")))
            self.log.setLevel(logging.INFO)

    def __call__(self, val_loss, model):
        v = float(val_loss)
        if not math.isnan(v) and (self.best_loss is None or v < self.best_loss - self.min_delta):
            self.best_loss, self.counter = v, 0
            self.path.parent.mkdir(parents=True, exist_ok=True)
            torch.save(model.state_dict(), self.path)
            self.log.info("improved to %s", v)
        else:
            self.counter += 1
            if self.counter >= self.patience:
                self.early_stop = True
        return self.early_stop

    def load_best_model(self, model):
        if self.best_loss is None:
            raise FileNotFoundError("nothing saved yet")
        model.load_state_dict(torch.load(self.path, weights_only=True))
        return model
