# Style: a small trainer class built per call, decorator-style autocast via a helper, explicit inf check left to the scaler, logging of the scale.
from __future__ import annotations

import logging

import torch

log = logging.getLogger(__name__)


class _AmpStep:
    def __init__(self, model, optimizer, scaler, device_type, dtype):
        self.model, self.optimizer, self.scaler = model, optimizer, scaler
        self.device_type, self.dtype = device_type, dtype

    def forward_loss(self, loss_fn, x, y):
        with torch.autocast(self.device_type, self.dtype):
            return loss_fn(self.model(x), y)

    def run(self, loss_fn, x, y, max_norm):
        for group in self.optimizer.param_groups:
            for p in group["params"]:
                p.grad = None
        loss = self.forward_loss(loss_fn, x, y)
        try:
            self.scaler.scale(loss).backward()
            if max_norm is not None:
                self.scaler.unscale_(self.optimizer)
                torch.nn.utils.clip_grad_norm_(self.model.parameters(), float(max_norm))
            self.scaler.step(self.optimizer)
        finally:
            self.scaler.update()
        log.debug("scale now %s", self.scaler.get_scale())
        return loss.item()


def amp_train_step(model, optimizer, loss_fn, x, y, scaler, device_type="cpu", dtype=torch.bfloat16, max_norm=None):
    return _AmpStep(model, optimizer, scaler, device_type, dtype).run(loss_fn, x, y, max_norm)
