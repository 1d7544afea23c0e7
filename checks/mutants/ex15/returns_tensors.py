# Mutant: returns the group means as 0-d tensors (detached), not Python floats.
from itertools import islice

import torch


def train_accumulated(model, optimizer, loss_fn, micro_batches, accum_steps):
    if accum_steps < 1:
        raise ValueError("accum_steps must be >= 1")
    it, means = iter(micro_batches), []
    while group := list(islice(it, accum_steps)):
        optimizer.zero_grad()
        losses = []
        for x, y in group:
            loss = loss_fn(model(x), y)
            (loss / len(group)).backward()
            losses.append(loss.detach())
        optimizer.step()
        means.append(torch.stack(losses).mean())
    return means
