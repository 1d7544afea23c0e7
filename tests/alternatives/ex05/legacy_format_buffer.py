# Style: state_dict serialised to a BytesIO in the legacy (non-zip) format and written with Path.write_bytes, early returns, a 'saved' flag for load_best_model.
from __future__ import annotations
import io, math, os
from pathlib import Path
import torch

class EarlyStoppingWithCheckpoint:
    def __init__(self, patience=5, checkpoint_path="best_model.pth", verbose=True, min_delta=0.0):
        if patience < 1:
            raise ValueError(f"patience must be >= 1 (got {patience})")
        if min_delta < 0:
            raise ValueError(f"min_delta must be >= 0 (got {min_delta})")
        self.patience, self.verbose, self.min_delta = patience, verbose, min_delta
        self.checkpoint_path = Path(checkpoint_path)
        self.best_loss = None
        self.counter = 0
        self.early_stop = False
        self.saved = False

    def __call__(self, val_loss, model):
        val = float(val_loss)
        if math.isfinite(val) or math.isinf(val):
            if self.best_loss is None or val < self.best_loss - self.min_delta:
                self.best_loss, self.counter = val, 0
                buf = io.BytesIO()
                torch.save(model.state_dict(), buf, _use_new_zipfile_serialization=False)
                self.checkpoint_path.parent.mkdir(parents=True, exist_ok=True)
                self.checkpoint_path.write_bytes(buf.getvalue())
                self.saved = True
                if self.verbose:
                    print(f"best {val}")
                return self.early_stop
        self.counter += 1
        if self.counter >= self.patience:
            self.early_stop = True
        if self.verbose:
            print(f"{self.counter}/{self.patience}{' -> stop' if self.early_stop else ''}")
        return self.early_stop

    def load_best_model(self, model):
        if not self.saved:
            raise FileNotFoundError("call the object with a finite validation loss first")
        model.load_state_dict(torch.load(self.checkpoint_path, weights_only=True))
        return model
