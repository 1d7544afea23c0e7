# Style: super() hooks called, logging.warning on the "keras" logger, Path kept, early returns, load guarded by best_epoch and the file's existence.
"""super() hooks called, logging.warning through keras' logger name, Path object kept, explicit early returns."""
import logging
import math
from pathlib import Path

import keras

log = logging.getLogger("keras")


class EarlyStoppingCheckpoint(keras.callbacks.Callback):
    def __init__(self, checkpoint_path, patience=5, monitor="val_loss", min_delta=0.0, verbose=False):
        super().__init__()
        self.path = Path(checkpoint_path)
        self.checkpoint_path = checkpoint_path
        self.patience = patience
        self.monitor = monitor
        self.min_delta = min_delta
        self.verbose = verbose
        self.best = self.best_epoch = self.stopped_epoch = None
        self.wait = 0

    def on_train_begin(self, logs=None):
        super().on_train_begin(logs)
        self.best = self.best_epoch = self.stopped_epoch = None
        self.wait = 0

    def on_epoch_end(self, epoch, logs=None):
        super().on_epoch_end(epoch, logs)
        if not logs or self.monitor not in logs:
            log.warning("monitor %r missing from logs at epoch %d", self.monitor, epoch)
            return
        value = logs[self.monitor]
        if math.isnan(value) or (self.best is not None and not value < self.best - self.min_delta):
            self.wait += 1
            if self.wait >= self.patience:
                self.model.stop_training = True
                self.stopped_epoch = epoch
            return
        self.best = value
        self.wait = 0
        self.best_epoch = epoch
        self.model.save_weights(str(self.path))

    def on_train_end(self, logs=None):
        if self.best_epoch is not None and self.path.exists():
            self.model.load_weights(str(self.path))
        super().on_train_end(logs)
