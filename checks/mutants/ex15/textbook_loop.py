# Mutant: the textbook's loop as printed: divides by accum_steps, zero_grad only after a step (stale gradients leak into the first step) and the last short group is never stepped.
def train_accumulated(model, optimizer, loss_fn, micro_batches, accum_steps):
    if accum_steps < 1:
        raise ValueError("accum_steps must be >= 1")
    means, running = [], []
    for i, (x, y) in enumerate(micro_batches):
        loss = loss_fn(model(x), y)
        running.append(loss.item())
        (loss / accum_steps).backward()
        if (i + 1) % accum_steps == 0:
            optimizer.step()
            optimizer.zero_grad()
            means.append(sum(running) / len(running))
            running = []
    return means
