# Mutant: back-propagates each micro-batch loss without dividing by k, so each step uses the sum of the gradients, k times too large.
from itertools import islice


def train_accumulated(model, optimizer, loss_fn, micro_batches, accum_steps):
    if accum_steps < 1:
        raise ValueError("accum_steps must be >= 1")
    it, means = iter(micro_batches), []
    while group := list(islice(it, accum_steps)):
        optimizer.zero_grad()
        losses = []
        for x, y in group:
            loss = loss_fn(model(x), y)
            loss.backward()
            losses.append(loss.item())
        optimizer.step()
        means.append(sum(losses) / len(losses))
    return means
