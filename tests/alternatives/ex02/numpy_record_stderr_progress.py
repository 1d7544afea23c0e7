# Style: numpy for the bookkeeping (loss copied out as a numpy scalar, then .item()); tqdm-like progress printed to stderr; x cast to the model's dtype.
import sys

import numpy as np
import torch
import torch.nn as nn


def train(model, optimizer, batches):
    criterion = nn.MSELoss()
    dtype = next(model.parameters()).dtype
    record = np.empty(0, dtype=np.float64)
    for n, (x, y) in enumerate(batches, start=1):
        optimizer.zero_grad()
        prediction = model(x.to(dtype))
        loss = criterion(prediction, y.to(dtype))
        loss.backward()
        optimizer.step()
        record = np.append(record, loss.detach().numpy())
        print(f"\r[{n}] loss={record[-1]:.4f}", end="", file=sys.stderr, flush=True)
    print(file=sys.stderr)
    return [v.item() for v in record]
