# Mutant: zeroes the gradients only after each step, so gradients left in .grad before the call leak into the first step.
def train_accumulated(model, optimizer, loss_fn, micro_batches, accum_steps):
    if accum_steps < 1:
        raise ValueError("accum_steps must be >= 1")
    means, group = [], []

    def flush():
        for x, y in group:
            loss = loss_fn(model(x), y)
            (loss / len(group)).backward()
            yield loss.item()

    for batch in micro_batches:
        group.append(batch)
        if len(group) == accum_steps:
            losses = list(flush())
            optimizer.step()
            optimizer.zero_grad()
            means.append(sum(losses) / len(losses))
            group = []
    if group:
        losses = list(flush())
        optimizer.step()
        optimizer.zero_grad()
        means.append(sum(losses) / len(losses))
    return means
