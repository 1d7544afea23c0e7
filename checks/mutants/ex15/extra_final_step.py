# Mutant: always calls optimizer.step() once more after the loop "for the remainder", also when nothing is left (and on an empty input).
def train_accumulated(model, optimizer, loss_fn, micro_batches, accum_steps):
    if accum_steps < 1:
        raise ValueError("accum_steps must be >= 1")
    means, losses = [], []
    optimizer.zero_grad()
    pending = []
    for batch in micro_batches:
        pending.append(batch)
        if len(pending) == accum_steps:
            for x, y in pending:
                loss = loss_fn(model(x), y)
                (loss / len(pending)).backward()
                losses.append(loss.item())
            optimizer.step()
            optimizer.zero_grad()
            means.append(sum(losses) / len(losses))
            pending, losses = [], []
    for x, y in pending:
        loss = loss_fn(model(x), y)
        (loss / len(pending)).backward()
        losses.append(loss.item())
    optimizer.step()
    if losses:
        means.append(sum(losses) / len(losses))
    return means
