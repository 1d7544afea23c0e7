# Mutant: calls zero_grad before every micro-batch's backward, so each step sees only the last micro-batch's gradient (divided by k).
from itertools import islice


def train_accumulated(model, optimizer, loss_fn, micro_batches, accum_steps):
    if accum_steps < 1:
        raise ValueError("accum_steps must be >= 1")
    it, means = iter(micro_batches), []
    while group := list(islice(it, accum_steps)):
        losses = []
        for x, y in group:
            optimizer.zero_grad()
            loss = loss_fn(model(x), y)
            (loss / len(group)).backward()
            losses.append(loss.item())
        optimizer.step()
        means.append(sum(losses) / len(losses))
    return means
