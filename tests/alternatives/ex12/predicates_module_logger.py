# Style: improvement and patience as small predicate methods, pathlib path turned to str for save_weights / load_weights, logging.getLogger(__name__).warning for a missing key.
import logging
import math
from pathlib import Path

import keras

logger = logging.getLogger(__name__)


class EarlyStoppingCheckpoint(keras.callbacks.Callback):
    def __init__(self, checkpoint_path, patience=5, monitor="val_loss", min_delta=0.0, verbose=False):
        super().__init__()
        self.checkpoint_path = Path(checkpoint_path)
        self.patience, self.monitor = patience, monitor
        self.min_delta, self.verbose = min_delta, verbose
        self.best = None
        self.wait = 0
        self.best_epoch = None
        self.stopped_epoch = None

    def on_train_begin(self, logs=None):
        self.best, self.wait, self.best_epoch, self.stopped_epoch = None, 0, None, None

    def _improved(self, value):
        if math.isnan(value):
            return False
        if self.best is None:
            return True
        return value < self.best - self.min_delta

    def _out_of_patience(self):
        return self.wait >= self.patience

    def on_epoch_end(self, epoch, logs=None):
        value = (logs or {}).get(self.monitor)
        if value is None:
            logger.warning("EarlyStoppingCheckpoint: %s is not in logs; epoch %s ignored", self.monitor, epoch)
            return
        value = float(value)
        if self._improved(value):
            self.best, self.wait, self.best_epoch = value, 0, epoch
            self.model.save_weights(str(self.checkpoint_path))
            return
        self.wait += 1
        if self._out_of_patience():
            self.model.stop_training = True
            self.stopped_epoch = epoch

    def on_train_end(self, logs=None):
        if self.best_epoch is None:
            return
        self.model.load_weights(str(self.checkpoint_path), skip_mismatch=False)
