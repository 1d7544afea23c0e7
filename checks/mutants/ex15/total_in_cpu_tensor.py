# Mutant: keeps each group's loss total in torch.zeros(1), a cpu tensor: on a GPU, adding the GPU loss to it mixes devices.
from itertools import islice

import torch


def train_accumulated(model, optimizer, loss_fn, micro_batches, accum_steps):
    if accum_steps < 1:
        raise ValueError("accum_steps must be >= 1")
    it, means = iter(micro_batches), []
    while group := list(islice(it, accum_steps)):
        optimizer.zero_grad()
        total = torch.zeros(1, dtype=torch.float64)
        for x, y in group:
            loss = loss_fn(model(x), y)
            (loss / len(group)).backward()
            total += loss.detach()
        optimizer.step()
        means.append(total.item() / len(group))
    return means
