# Style: squeezes both output and target, loss computed in float64, .grad set to None by hand, losses as np.float64 (a float subclass), a print per step.
from __future__ import annotations
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

def train(model, optimizer, batches):
    out = []
    for step, (x, y) in enumerate(batches):
        for p in model.parameters():
            p.grad = None
        pred = model(x)
        loss = torch.mean((pred.double().squeeze() - y.double().squeeze()) ** 2)
        loss.backward()
        optimizer.step()
        out.append(np.float64(loss.detach().numpy()))
        print(f"step {step}: loss={float(loss):.4f}")
    return out
