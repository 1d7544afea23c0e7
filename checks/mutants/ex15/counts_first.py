# Mutant: counts the micro-batches in a first pass to size the last group, then iterates again: a generator is empty the second time, so nothing is trained.
def train_accumulated(model, optimizer, loss_fn, micro_batches, accum_steps):
    if accum_steps < 1:
        raise ValueError("accum_steps must be >= 1")
    n = sum(1 for _ in micro_batches)
    means, losses = [], []
    optimizer.zero_grad()
    for i, (x, y) in enumerate(micro_batches):
        start = (i // accum_steps) * accum_steps
        k = min(accum_steps, n - start)
        loss = loss_fn(model(x), y)
        (loss / k).backward()
        losses.append(loss.item())
        if len(losses) == k:
            optimizer.step()
            optimizer.zero_grad()
            means.append(sum(losses) / k)
            losses = []
    return means
