# Style: rule written as best - val > min_delta with torch ops (torch.isnan on a tensor), os.makedirs, map_location="cpu", file-existence test before loading.
import os

import torch


class EarlyStoppingWithCheckpoint:
    def __init__(self, patience=5, checkpoint_path="best_model.pth", verbose=True, min_delta=0.0):
        if patience < 1 or min_delta < 0:
            raise ValueError(f"invalid arguments: patience={patience}, min_delta={min_delta}")
        self.patience = int(patience)
        self.checkpoint_path = os.fspath(checkpoint_path)
        self.verbose = verbose
        self.min_delta = min_delta
        self.best_loss = None
        self.counter = 0
        self.early_stop = False
        self._saved = False

    def __call__(self, val_loss, model):
        loss = torch.as_tensor(val_loss, dtype=torch.float64).detach().cpu()
        if torch.isnan(loss):
            improved = False
        elif self.best_loss is None:
            improved = True
        else:
            improved = bool(self.best_loss - loss > self.min_delta)
        if improved:
            self.best_loss = loss.item()
            self.counter = 0
            os.makedirs(os.path.dirname(os.path.abspath(self.checkpoint_path)), exist_ok=True)
            torch.save({k: v.detach().cpu().clone() for k, v in model.state_dict().items()}, self.checkpoint_path)
            self._saved = True
        else:
            self.counter += 1
            self.early_stop = self.early_stop or self.counter >= self.patience
        if self.verbose:
            print(f"val_loss={loss.item():.4f} best={self.best_loss} counter={self.counter}/{self.patience}")
        return self.early_stop

    def load_best_model(self, model):
        if not self._saved or not os.path.exists(self.checkpoint_path):
            raise FileNotFoundError(f"no checkpoint yet: {self.checkpoint_path}")
        state = torch.load(self.checkpoint_path, map_location="cpu")
        model.load_state_dict(state)
        return model
