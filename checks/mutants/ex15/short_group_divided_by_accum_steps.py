# Mutant: steps on the final short group but divides its losses by accum_steps instead of its own size k, so its step is too small.
def train_accumulated(model, optimizer, loss_fn, micro_batches, accum_steps):
    if accum_steps < 1:
        raise ValueError("accum_steps must be >= 1")
    means, losses = [], []
    optimizer.zero_grad()
    for x, y in micro_batches:
        loss = loss_fn(model(x), y)
        (loss / accum_steps).backward()
        losses.append(loss.item())
        if len(losses) == accum_steps:
            optimizer.step()
            optimizer.zero_grad()
            means.append(sum(losses) / len(losses))
            losses = []
    if losses:
        optimizer.step()
        optimizer.zero_grad()
        means.append(sum(losses) / len(losses))
    return means
