# Style: a private inf sentinel with best exposed as a property (None until an improvement), in-memory copy of the best weights restored at the end, file saved too.
"""An inf sentinel kept privately (best exposed as None until something improved), in-memory copy of the best
weights restored at the end, the file saved too."""
import math
import warnings

import keras


class EarlyStoppingCheckpoint(keras.callbacks.Callback):
    def __init__(self, checkpoint_path, patience=5, monitor="val_loss", min_delta=0.0, verbose=False):
        super().__init__()
        self.checkpoint_path = checkpoint_path
        self.patience = int(patience)
        self.monitor = monitor
        self.min_delta = abs(min_delta)
        self.verbose = verbose
        self._best = math.inf
        self.wait = 0
        self.best_epoch = None
        self.stopped_epoch = None
        self._best_weights = None

    @property
    def best(self):
        return None if math.isinf(self._best) else self._best

    def on_train_begin(self, logs=None):
        self._best, self.wait, self.best_epoch, self.stopped_epoch = math.inf, 0, None, None
        self._best_weights = None

    def on_epoch_end(self, epoch, logs=None):
        current = (logs or {}).get(self.monitor)
        if current is None:
            warnings.warn(f"{self.monitor} not available, skipping epoch {epoch}", RuntimeWarning)
            return
        current = float(current)
        improved = current == current and (self.best_epoch is None or current < self._best - self.min_delta)
        if improved:
            self._best, self.wait, self.best_epoch = current, 0, epoch
            self.model.save_weights(self.checkpoint_path)
            self._best_weights = [w.copy() for w in self.model.get_weights()]
            return
        self.wait += 1
        if self.wait >= self.patience:
            self.stopped_epoch = epoch
            self.model.stop_training = True
            if self.verbose:
                print(f"Epoch {epoch + 1}: early stopping")

    def on_train_end(self, logs=None):
        if self._best_weights is not None:
            self.model.set_weights(self._best_weights)
