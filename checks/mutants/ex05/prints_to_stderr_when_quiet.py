# Mutant: Prints the counter to stderr (print(..., file=sys.stderr)) even with verbose=False.
from __future__ import annotations
import math, os
from pathlib import Path
import torch
from torch import nn


class EarlyStoppingWithCheckpoint:
    def __init__(self, patience=5, checkpoint_path="best_model.pth", verbose=True, min_delta=0.0):
        if patience < 1:
            raise ValueError("patience must be >= 1")
        if min_delta < 0:
            raise ValueError("min_delta must be >= 0")
        self.patience = patience
        self.checkpoint_path = Path(checkpoint_path)
        self.verbose = verbose
        self.min_delta = min_delta
        self.best_loss = None
        self.counter = 0
        self.early_stop = False

    def __call__(self, val_loss, model):
        v = float(val_loss)
        if not math.isnan(v) and (self.best_loss is None or v < self.best_loss - self.min_delta):
            self.best_loss = v
            self.counter = 0
            self.checkpoint_path.parent.mkdir(parents=True, exist_ok=True)
            torch.save(model.state_dict(), self.checkpoint_path)
            if self.verbose:
                print("improved")
        else:
            self.counter += 1
            print(f"counter {self.counter}", file=__import__("sys").stderr)
            if self.counter >= self.patience:
                self.early_stop = True
        return self.early_stop

    def load_best_model(self, model):
        if self.best_loss is None or not self.checkpoint_path.exists():
            raise FileNotFoundError("no checkpoint yet")
        device = next(model.parameters()).device
        model.load_state_dict(torch.load(self.checkpoint_path, map_location=device, weights_only=True))
        return model
