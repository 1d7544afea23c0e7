"""Correct alternative: serialises the best state_dict into an in-memory buffer with torch.save
and loads it back; np.isnan in a branch of its own first; the first finite loss keeps the
counter (the seed's first branch, as printed)."""

import io

import numpy as np
import torch


class EarlyStopping:
    def __init__(self, patience=7, min_delta=0, restore_best_weights=True):
        self.patience = patience
        self.min_delta = min_delta
        self.restore_best_weights = restore_best_weights
        self.counter = 0
        self.best_loss = None
        self.early_stop = False
        self.best_weights = None

    def __call__(self, val_loss, model):
        if np.isnan(val_loss):
            self._no_improvement(model)
        elif self.best_loss is None:
            self.best_loss = val_loss
            self.save_checkpoint(model)
        elif val_loss > self.best_loss - self.min_delta:
            self._no_improvement(model)
        else:
            self.best_loss = val_loss
            self.save_checkpoint(model)
            self.counter = 0
        return self.early_stop

    def _no_improvement(self, model):
        self.counter += 1
        print(f'EarlyStopping counter: {self.counter}/{self.patience}')
        if self.counter >= self.patience:
            self.early_stop = True
            if self.restore_best_weights and self.best_weights is not None:
                print('最良の重みを復元します')
                self.best_weights.seek(0)
                model.load_state_dict(torch.load(self.best_weights, weights_only=True))

    def save_checkpoint(self, model):
        if self.restore_best_weights:
            buffer = io.BytesIO()
            torch.save(model.state_dict(), buffer)
            self.best_weights = buffer
