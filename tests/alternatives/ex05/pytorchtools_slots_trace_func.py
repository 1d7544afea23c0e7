# Style: pytorchtools-flavoured (extra trace_func=print argument, val_loss_min kept too) with __slots__; NaN tested with np.isnan; map_location as a storage lambda.
import os

import numpy as np
import torch


class EarlyStoppingWithCheckpoint:
    __slots__ = ("patience", "checkpoint_path", "verbose", "min_delta", "trace_func",
                 "best_loss", "counter", "early_stop", "val_loss_min")

    def __init__(self, patience=5, checkpoint_path="best_model.pth", verbose=True, min_delta=0.0, trace_func=print):
        if patience < 1 or min_delta < 0:
            raise ValueError(f"invalid patience={patience} or min_delta={min_delta}")
        self.patience = patience
        self.checkpoint_path = checkpoint_path
        self.verbose = verbose
        self.min_delta = min_delta
        self.trace_func = trace_func
        self.best_loss = None
        self.counter = 0
        self.early_stop = False
        self.val_loss_min = np.inf

    def __call__(self, val_loss, model):
        if torch.is_tensor(val_loss):
            val_loss = val_loss.item()
        if np.isnan(val_loss):
            self.counter += 1
            if self.verbose:
                self.trace_func(f"Validation loss is NaN ({self.counter}/{self.patience})")
        elif self.best_loss is None or val_loss < self.best_loss - self.min_delta:
            self.save_checkpoint(val_loss, model)
            self.best_loss = float(val_loss)
            self.counter = 0
        else:
            self.counter += 1
            if self.verbose:
                self.trace_func(f"EarlyStopping counter: {self.counter} out of {self.patience}")
        if self.counter >= self.patience:
            self.early_stop = True
        return self.early_stop

    def save_checkpoint(self, val_loss, model):
        if self.verbose:
            self.trace_func(f"Validation loss decreased ({self.val_loss_min:.6f} --> {val_loss:.6f}).  Saving model ...")
        folder = os.path.dirname(os.fspath(self.checkpoint_path))
        if folder:
            os.makedirs(folder, exist_ok=True)
        torch.save(model.state_dict(), self.checkpoint_path)
        self.val_loss_min = val_loss

    def load_best_model(self, model):
        if self.best_loss is None:
            raise FileNotFoundError("no checkpoint has been saved yet")
        model.load_state_dict(torch.load(self.checkpoint_path, map_location=lambda storage, loc: storage,
                                         weights_only=True))
        return model
