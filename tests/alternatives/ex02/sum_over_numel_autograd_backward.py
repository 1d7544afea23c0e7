# Style: sum-reduction MSE divided by numel, torch.autograd.backward, torch.set_grad_enabled, warnings for a non-finite loss, losses via float(loss.detach().cpu()).
import math
import warnings

import torch
import torch.nn.functional as F


def train(model, optimizer, batches):
    losses = []
    with torch.set_grad_enabled(True):
        for i, batch in enumerate(batches):
            x, y = batch
            optimizer.zero_grad()
            out = model(x)
            loss = F.mse_loss(out, y, reduction="sum") / y.numel()
            torch.autograd.backward(loss)
            optimizer.step()
            value = float(loss.detach().cpu())
            if not math.isfinite(value):
                warnings.warn(f"batch {i}: loss is {value}", RuntimeWarning)
            losses.append(value)
    return losses
