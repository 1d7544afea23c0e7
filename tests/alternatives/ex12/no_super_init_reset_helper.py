# Style: no super().__init__() call, state kept by a reset() helper, restore guarded by `self.best is not None`, float("inf") as a local stand-in for a missing best, %-formatted warning and prints.
import math
import warnings

from keras.callbacks import Callback


class EarlyStoppingCheckpoint(Callback):
    def __init__(self, checkpoint_path, patience=5, monitor="val_loss", min_delta=0.0, verbose=False):
        self.checkpoint_path = checkpoint_path
        self.patience = patience
        self.monitor = monitor
        self.min_delta = min_delta
        self.verbose = verbose
        self.reset()

    def reset(self):
        self.best = None
        self.wait = 0
        self.best_epoch = None
        self.stopped_epoch = None

    def on_train_begin(self, logs=None):
        self.reset()

    def on_epoch_end(self, epoch, logs=None):
        if not logs or self.monitor not in logs:
            warnings.warn("monitor %s missing, epoch %d skipped" % (self.monitor, epoch))
            return
        value = logs[self.monitor]
        best = self.best if self.best is not None else float("inf")
        if not math.isnan(value) and (self.best is None or value < best - self.min_delta):
            self.best = value
            self.wait = 0
            self.best_epoch = epoch
            self.model.save_weights(self.checkpoint_path)
            if self.verbose:
                print("epoch %d: %s improved to %.4f" % (epoch + 1, self.monitor, value))
            return
        self.wait += 1
        if self.wait >= self.patience:
            self.stopped_epoch = epoch
            self.model.stop_training = True

    def on_train_end(self, logs=None):
        if self.best is not None:
            self.model.load_weights(self.checkpoint_path)
