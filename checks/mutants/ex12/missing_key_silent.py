# Mutant: skips an epoch without the monitor key silently, with no warning.
import math

import keras


class EarlyStoppingCheckpoint(keras.callbacks.Callback):
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
        if self.best_epoch is not None:  # nothing was saved in this run: nothing to restore
            self.model.load_weights(self.checkpoint_path)
            if self.verbose:
                print(f"restored the weights of epoch {self.best_epoch} ({self.monitor}={self.best:.4f})")
