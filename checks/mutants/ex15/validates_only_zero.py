# Mutant: rejects accum_steps == 0 only, so a negative accum_steps is accepted without ValueError.
def train_accumulated(model, optimizer, loss_fn, micro_batches, accum_steps):
    if accum_steps == 0:
        raise ValueError("accum_steps must not be 0")
    means, group = [], []
    for batch in micro_batches:
        group.append(batch)
        if len(group) == abs(accum_steps):
            means.append(_step(model, optimizer, loss_fn, group))
            group = []
    if group:
        means.append(_step(model, optimizer, loss_fn, group))
    return means


def _step(model, optimizer, loss_fn, group):
    optimizer.zero_grad()
    total = 0.0
    for x, y in group:
        loss = loss_fn(model(x), y)
        (loss / len(group)).backward()
        total += loss.item()
    optimizer.step()
    return total / len(group)
