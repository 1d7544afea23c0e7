# Mutant: weights each micro-batch loss by its number of samples (the mean over the group's samples), not by 1/k: right only when the micro-batches have equal sizes.
from itertools import islice


def train_accumulated(model, optimizer, loss_fn, micro_batches, accum_steps):
    if accum_steps < 1:
        raise ValueError("accum_steps must be >= 1")
    it, means = iter(micro_batches), []
    while group := list(islice(it, accum_steps)):
        optimizer.zero_grad()
        total = sum(x.shape[0] for x, _ in group)
        mean = 0.0
        for x, y in group:
            loss = loss_fn(model(x), y)
            weight = x.shape[0] / total
            (loss * weight).backward()
            mean += loss.item() * weight
        optimizer.step()
        means.append(mean)
    return means
