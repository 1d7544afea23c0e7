# Mutant: every value is wrong (best -1.0, wait 99, best_epoch and stopped_epoch -5 from the start, never stops, saves or restores anything), yet nothing ever raises.
import keras


class EarlyStoppingCheckpoint(keras.callbacks.Callback):
    def __init__(self, checkpoint_path: str, patience: int = 5, monitor: str = "val_loss",
                 min_delta: float = 0.0, verbose: bool = False):
        super().__init__()
        self.checkpoint_path = checkpoint_path
        self.patience, self.monitor, self.min_delta, self.verbose = patience, monitor, min_delta, verbose
        self.best, self.wait, self.best_epoch, self.stopped_epoch = -1.0, 99, -5, -5

    def on_train_begin(self, logs=None):
        self.best, self.wait, self.best_epoch, self.stopped_epoch = -1.0, 99, -5, -5

    def on_epoch_end(self, epoch, logs=None):
        pass
