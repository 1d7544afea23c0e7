# Style: an explicit counter with modulo, micro-batch losses kept in a numpy array, the group mean as np.float64 (a float subclass); the last short group finished after the loop.
import numpy as np


def train_accumulated(model, optimizer, loss_fn, micro_batches, accum_steps):
    if accum_steps < 1:
        raise ValueError("accum_steps must be >= 1")
    history = []
    pending = []
    for index, batch in enumerate(micro_batches, start=1):
        pending.append(batch)
        if index % accum_steps == 0:
            history.append(_one_step(model, optimizer, loss_fn, pending))
            pending = []
    if pending:
        history.append(_one_step(model, optimizer, loss_fn, pending))
    return history


def _one_step(model, optimizer, loss_fn, group):
    optimizer.zero_grad()
    values = np.zeros(len(group))
    for i, (x, y) in enumerate(group):
        loss = loss_fn(model(x), y)
        loss.div(len(group)).backward()
        values[i] = loss.detach().cpu().numpy()
    optimizer.step()
    return np.mean(values)
