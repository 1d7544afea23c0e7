# Style: keras.callbacks.EarlyStopping-like: monitor_op = np.less with a negated min_delta (current + min_delta < best), np.inf sentinel kept private, no super().__init__ arguments, save_weights(overwrite=True).
import warnings

import keras
import numpy as np


class EarlyStoppingCheckpoint(keras.callbacks.Callback):
    def __init__(self, checkpoint_path, patience=5, monitor="val_loss", min_delta=0.0, verbose=False):
        super().__init__()
        self.checkpoint_path = checkpoint_path
        self.patience = patience
        self.monitor = monitor
        self.min_delta = -abs(min_delta)  # like Keras: "improves" means current - min_delta < best for mode min
        self.verbose = verbose
        self.monitor_op = np.less
        self.on_train_begin()

    def on_train_begin(self, logs=None):
        self._best_value = np.inf
        self.best = None
        self.wait = 0
        self.best_epoch = None
        self.stopped_epoch = None

    def _is_improvement(self, current):
        return self.monitor_op(current - self.min_delta, self._best_value)

    def on_epoch_end(self, epoch, logs=None):
        current = None if logs is None else logs.get(self.monitor)
        if current is None:
            warnings.warn(f"Early stopping conditioned on metric `{self.monitor}` which is not available.",
                          stacklevel=2)
            return
        if np.isnan(current) or not self._is_improvement(current):
            self.wait += 1
            if self.wait >= self.patience:
                self.stopped_epoch = epoch
                self.model.stop_training = True
                if self.verbose:
                    print(f"Epoch {epoch + 1}: early stopping")
            return
        self._best_value = current
        self.best = float(current)
        self.wait = 0
        self.best_epoch = epoch
        self.model.save_weights(self.checkpoint_path, overwrite=True)

    def on_train_end(self, logs=None):
        if self.best_epoch is not None:
            if self.verbose:
                print(f"Restoring model weights from the end of the best epoch: {self.best_epoch + 1}.")
            self.model.load_weights(self.checkpoint_path)
