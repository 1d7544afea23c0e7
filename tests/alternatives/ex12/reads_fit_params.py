# Style: reads fit's self.params (the planned number of epochs) in on_train_begin for its verbose report, try/except KeyError for the missing monitor, RuntimeWarning.
import math
import warnings

import keras


class EarlyStoppingCheckpoint(keras.callbacks.Callback):
    def __init__(self, checkpoint_path, patience=5, monitor="val_loss", min_delta=0.0, verbose=False):
        super().__init__()
        self.checkpoint_path = checkpoint_path
        self.patience = patience
        self.monitor = monitor
        self.min_delta = min_delta
        self.verbose = verbose
        self.best = None
        self.wait = 0
        self.best_epoch = None
        self.stopped_epoch = None

    def on_train_begin(self, logs=None):
        self.planned_epochs = self.params["epochs"]  # fit always sets params before training begins
        self.best = None
        self.wait = 0
        self.best_epoch = None
        self.stopped_epoch = None

    def on_epoch_end(self, epoch, logs=None):
        try:
            value = float(logs[self.monitor])
        except (KeyError, TypeError):
            warnings.warn(f"{self.monitor} is missing from the logs of epoch {epoch}", RuntimeWarning)
            return
        if not math.isnan(value) and (self.best is None or value < self.best - self.min_delta):
            self.best = value
            self.wait = 0
            self.best_epoch = epoch
            self.model.save_weights(self.checkpoint_path)
        else:
            self.wait += 1
            if self.wait >= self.patience:
                self.model.stop_training = True
                self.stopped_epoch = epoch

    def on_train_end(self, logs=None):
        if self.verbose and self.stopped_epoch is not None:
            print(f"stopped at epoch {self.stopped_epoch + 1} of {self.planned_epochs}")
        if self.best_epoch is not None:
            self.model.load_weights(self.checkpoint_path)
