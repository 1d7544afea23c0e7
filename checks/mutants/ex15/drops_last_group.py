# Mutant: never steps on a final group shorter than accum_steps (its micro-batches are silently dropped).
def train_accumulated(model, optimizer, loss_fn, micro_batches, accum_steps):
    if accum_steps < 1:
        raise ValueError("accum_steps must be >= 1")
    means, group = [], []
    for batch in micro_batches:
        group.append(batch)
        if len(group) < accum_steps:
            continue
        optimizer.zero_grad()
        losses = []
        for x, y in group:
            loss = loss_fn(model(x), y)
            (loss / accum_steps).backward()
            losses.append(loss.item())
        optimizer.step()
        means.append(sum(losses) / len(losses))
        group = []
    return means
