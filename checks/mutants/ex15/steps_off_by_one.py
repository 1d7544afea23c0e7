# Mutant: tests i % accum_steps == 0 with i counted from 0, so the first step comes after the first micro-batch and every group is shifted by one.
def train_accumulated(model, optimizer, loss_fn, micro_batches, accum_steps):
    if accum_steps < 1:
        raise ValueError("accum_steps must be >= 1")
    means, losses = [], []
    optimizer.zero_grad()
    for i, (x, y) in enumerate(micro_batches):
        loss = loss_fn(model(x), y)
        losses.append(loss)
        if i % accum_steps == 0:
            for item in losses:
                (item / len(losses)).backward()
            optimizer.step()
            optimizer.zero_grad()
            means.append(sum(item.item() for item in losses) / len(losses))
            losses = []
    if losses:
        for item in losses:
            (item / len(losses)).backward()
        optimizer.step()
        optimizer.zero_grad()
        means.append(sum(item.item() for item in losses) / len(losses))
    return means
