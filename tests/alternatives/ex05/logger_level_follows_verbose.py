# Style: logging through a module logger whose level follows verbose (a handler added once), rule on float64 numpy scalars with np.less, tuple-unpacked state, Path.exists check.
import logging
import os

import numpy as np
import torch

logger = logging.getLogger("early_stopping")


class EarlyStoppingWithCheckpoint:
    def __init__(self, patience=5, checkpoint_path="best_model.pth", verbose=True, min_delta=0.0):
        if patience < 1:
            raise ValueError("patience < 1")
        if min_delta < 0:
            raise ValueError("min_delta < 0")
        self.patience, self.checkpoint_path, self.verbose, self.min_delta = patience, checkpoint_path, verbose, min_delta
        self.best_loss, self.counter, self.early_stop = None, 0, False
        if not logger.handlers:
            logger.addHandler(logging.StreamHandler())
        logger.setLevel(logging.INFO if verbose else logging.WARNING)

    def __call__(self, val_loss, model):
        v = np.float64(val_loss.item() if hasattr(val_loss, "item") else val_loss)
        if not np.isnan(v) and (self.best_loss is None or np.less(v, self.best_loss - self.min_delta)):
            self.best_loss, self.counter = float(v), 0
            parent = os.path.dirname(os.fspath(self.checkpoint_path)) or "."
            os.makedirs(parent, exist_ok=True)
            torch.save(model.state_dict(), self.checkpoint_path)
            logger.info("new best %.4f", v)
        else:
            self.counter += 1
            logger.info("counter %d/%d", self.counter, self.patience)
            if self.counter >= self.patience:
                self.early_stop = True
        return self.early_stop

    def load_best_model(self, model):
        if self.best_loss is None or not os.path.exists(self.checkpoint_path):
            raise FileNotFoundError(self.checkpoint_path)
        state = torch.load(self.checkpoint_path, map_location="cpu", weights_only=True)
        model.load_state_dict(state, strict=True)
        logger.info("restored best weights (%.4f)", self.best_loss)
        return model
