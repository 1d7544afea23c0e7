# Style: numpy comparisons (np.isnan, np.less), logging.warning for a missing key, state kept in on_train_begin only.
import logging

import keras
import numpy as np

log = logging.getLogger(__name__)


class EarlyStoppingCheckpoint(keras.callbacks.Callback):
    def __init__(self, checkpoint_path, patience=5, monitor="val_loss", min_delta=0.0, verbose=False):
        super().__init__()
        self.checkpoint_path = checkpoint_path
        self.patience = patience
        self.monitor = monitor
        self.min_delta = min_delta
        self.verbose = verbose
        self.on_train_begin()

    def on_train_begin(self, logs=None):
        self.best = None
        self.wait = 0
        self.best_epoch = None
        self.stopped_epoch = None

    def on_epoch_end(self, epoch, logs=None):
        current = (logs or {}).get(self.monitor)
        if current is None:
            log.warning("monitored metric %r not found in logs; skipping epoch %d", self.monitor, epoch)
            return
        current = np.float64(current)
        improved = (not np.isnan(current)) and (self.best is None or bool(np.less(current, self.best - self.min_delta)))
        if improved:
            self.best, self.wait, self.best_epoch = float(current), 0, epoch
            self.model.save_weights(self.checkpoint_path)
            return
        self.wait += 1
        if self.wait >= self.patience:
            self.stopped_epoch = epoch
            self.model.stop_training = True

    def on_train_end(self, logs=None):
        if self.best_epoch is None:
            return
        self.model.load_weights(self.checkpoint_path)
        if self.verbose:
            print(f"Restored weights from epoch {self.best_epoch + 1}")
