# Mutant: returns the last micro-batch's loss of each group instead of the group's mean.
from itertools import islice


def train_accumulated(model, optimizer, loss_fn, micro_batches, accum_steps):
    if accum_steps < 1:
        raise ValueError("accum_steps must be >= 1")
    it, means = iter(micro_batches), []
    while group := list(islice(it, accum_steps)):
        optimizer.zero_grad()
        for x, y in group:
            loss = loss_fn(model(x), y)
            (loss / len(group)).backward()
        optimizer.step()
        means.append(loss.item())
    return means
