# Style: keras.ops for the comparisons (keras.ops.isnan / keras.ops.less, bool() of the 0-d result), os.fspath path, UserWarning via warnings.warn with the available keys.
import os
import warnings

import keras
from keras import ops


class EarlyStoppingCheckpoint(keras.callbacks.Callback):
    def __init__(self, checkpoint_path: str, patience: int = 5, monitor: str = "val_loss",
                 min_delta: float = 0.0, verbose: bool = False):
        super().__init__()
        self.checkpoint_path = os.fspath(checkpoint_path)
        self.patience = patience
        self.monitor = monitor
        self.min_delta = min_delta
        self.verbose = verbose
        self.best = None
        self.wait = 0
        self.best_epoch = None
        self.stopped_epoch = None

    def on_train_begin(self, logs=None):
        self.best = None
        self.wait = 0
        self.best_epoch = None
        self.stopped_epoch = None

    def on_epoch_end(self, epoch, logs=None):
        logs = logs or {}
        if self.monitor not in logs:
            warnings.warn(f"'{self.monitor}' not found in logs {list(logs)}; skipping epoch {epoch}", UserWarning)
            return
        current = float(logs[self.monitor])
        if bool(ops.isnan(current)):
            improved = False
        elif self.best is None:
            improved = True
        else:
            improved = bool(ops.less(current, self.best - self.min_delta))
        if improved:
            self.best, self.wait, self.best_epoch = current, 0, epoch
            self.model.save_weights(self.checkpoint_path)
        else:
            self.wait += 1
            if self.wait >= self.patience:
                self.model.stop_training = True
                self.stopped_epoch = epoch

    def on_train_end(self, logs=None):
        if self.best_epoch is not None:
            self.model.load_weights(self.checkpoint_path)
