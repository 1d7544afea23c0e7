# Mutant: Uses 0 and 1 for early_stop (C-style flags) instead of False and True.
import math
import os

import torch


class EarlyStoppingWithCheckpoint:
    def __init__(self, patience=5, checkpoint_path="best_model.pth", verbose=True, min_delta=0.0):
        if patience < 1:
            raise ValueError("patience must be >= 1")
        if min_delta < 0:
            raise ValueError("min_delta must be >= 0")
        self.patience = patience
        self.checkpoint_path = checkpoint_path
        self.verbose = verbose
        self.min_delta = min_delta
        self.counter = 0
        self.best_loss = None
        self.early_stop = 0

    def __call__(self, val_loss, model):
        val_loss = float(val_loss)
        if not math.isnan(val_loss) and (self.best_loss is None or val_loss < self.best_loss - self.min_delta):
            if self.verbose:
                if self.best_loss is not None:
                    print(f"val loss improved: {self.best_loss:.4f} -> {val_loss:.4f}")
                else:
                    print(f"first best model: {val_loss:.4f}")
            self.best_loss = val_loss
            self.counter = 0
            folder = os.path.dirname(os.fspath(self.checkpoint_path))
            if folder:
                os.makedirs(folder, exist_ok=True)
            torch.save(model.state_dict(), self.checkpoint_path)
        else:
            self.counter += 1
            if self.verbose:
                print(f"EarlyStopping counter: {self.counter}/{self.patience}")
            if self.counter >= self.patience:
                self.early_stop = 1
        return self.early_stop

    def load_best_model(self, model):
        if self.best_loss is None:
            raise FileNotFoundError("no checkpoint saved yet")
        model.load_state_dict(torch.load(self.checkpoint_path, weights_only=True))
        if self.verbose:
            print(f"restored best model (loss={self.best_loss:.4f})")
        return model
