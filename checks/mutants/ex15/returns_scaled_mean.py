# Mutant: records the scaled losses (loss / k) and returns their mean, k times smaller than the mean micro-batch loss.
from itertools import islice


def train_accumulated(model, optimizer, loss_fn, micro_batches, accum_steps):
    if accum_steps < 1:
        raise ValueError("accum_steps must be >= 1")
    it, means = iter(micro_batches), []
    while group := list(islice(it, accum_steps)):
        optimizer.zero_grad()
        scaled = []
        for x, y in group:
            loss = loss_fn(model(x), y) / len(group)
            loss.backward()
            scaled.append(loss.item())
        optimizer.step()
        means.append(sum(scaled) / len(scaled))
    return means
