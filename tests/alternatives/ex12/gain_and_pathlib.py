# Style: improvement as a gain (best - value > min_delta), NaN test by self-inequality, pathlib path, RuntimeWarning.
import warnings
from pathlib import Path

import keras


class EarlyStoppingCheckpoint(keras.callbacks.Callback):
    """Early stopping that keeps the best weights on disk."""

    def __init__(self, checkpoint_path: str, patience: int = 5, monitor: str = "val_loss",
                 min_delta: float = 0.0, verbose: bool = False) -> None:
        super().__init__()
        self.path = Path(checkpoint_path)
        self.patience = int(patience)
        self.monitor = monitor
        self.min_delta = float(min_delta)
        self.verbose = verbose
        self.best = self.best_epoch = self.stopped_epoch = None
        self.wait = 0

    def on_train_begin(self, logs=None) -> None:
        self.best = self.best_epoch = self.stopped_epoch = None
        self.wait = 0

    def _improves(self, value: float) -> bool:
        if value != value:  # NaN is the only value unequal to itself
            return False
        return self.best is None or self.best - value > self.min_delta

    def on_epoch_end(self, epoch, logs=None) -> None:
        logs = logs or {}
        if self.monitor not in logs:
            warnings.warn(f"{self.monitor} is not available; available keys: {', '.join(logs)}", RuntimeWarning)
            return
        value = float(logs[self.monitor])
        if self._improves(value):
            self.best, self.best_epoch, self.wait = value, epoch, 0
            self.model.save_weights(str(self.path))
            if self.verbose:
                print(f"Epoch {epoch + 1}: {self.monitor} improved to {value:.5f}")
        else:
            self.wait += 1
            if self.verbose:
                print(f"Epoch {epoch + 1}: no improvement for {self.wait} epoch(s)")
            if self.wait >= self.patience:
                self.stopped_epoch = epoch
                self.model.stop_training = True

    def on_train_end(self, logs=None) -> None:
        if self.best_epoch is not None and self.path.exists():
            self.model.load_weights(str(self.path))
