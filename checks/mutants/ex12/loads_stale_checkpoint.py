# Mutant: loads the checkpoint in on_train_end whenever the file exists, so a stale file from an earlier run is restored when nothing improved.
import os
"""Reference solution for exercise 12: early stopping with a best-weights checkpoint, as a Keras callback."""

import math
import warnings

import keras


class EarlyStoppingCheckpoint(keras.callbacks.Callback):
    """Stops training when `monitor` has not improved for `patience` epochs, saving the best
    weights on every improvement and loading them back when training ends."""

    def __init__(self, checkpoint_path: str, patience: int = 5, monitor: str = "val_loss",
                 min_delta: float = 0.0, verbose: bool = False) -> None:
        super().__init__()
        self.checkpoint_path = str(checkpoint_path)
        self.patience = patience
        self.monitor = monitor
        self.min_delta = min_delta
        self.verbose = verbose
        self._reset()

    def _reset(self) -> None:
        self.best: float | None = None
        self.wait = 0
        self.best_epoch: int | None = None
        self.stopped_epoch: int | None = None

    def on_train_begin(self, logs: dict | None = None) -> None:
        self._reset()  # every fit starts from scratch

    def on_epoch_end(self, epoch: int, logs: dict | None = None) -> None:
        logs = logs or {}
        if self.monitor not in logs:
            warnings.warn(f"EarlyStoppingCheckpoint: '{self.monitor}' is not in the logs "
                          f"(available: {sorted(logs)}); epoch {epoch} skipped", stacklevel=2)
            return
        value = float(logs[self.monitor])
        # NaN compares False with everything, but `best is None` would let it in: exclude it first.
        if not math.isnan(value) and (self.best is None or value < self.best - self.min_delta):
            if self.verbose:
                print(f"epoch {epoch}: {self.monitor} improved to {value:.4f}, saving {self.checkpoint_path}")
            self.best = value
            self.wait = 0
            self.best_epoch = epoch
            self.model.save_weights(self.checkpoint_path)
        else:
            self.wait += 1
            if self.verbose:
                print(f"epoch {epoch}: no improvement ({self.wait}/{self.patience})")
            if self.wait >= self.patience:
                self.model.stop_training = True
                self.stopped_epoch = epoch

    def on_train_end(self, logs: dict | None = None) -> None:
        if os.path.exists(self.checkpoint_path):  # a checkpoint is there: restore it
            self.model.load_weights(self.checkpoint_path)
            if self.verbose:
                print(f"restored the weights of epoch {self.best_epoch} ({self.monitor}={self.best:.4f})")
