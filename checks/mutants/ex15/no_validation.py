# Mutant: does not validate accum_steps: 0 fails with ZeroDivisionError and a negative value trains one micro-batch per step.
def train_accumulated(model, optimizer, loss_fn, micro_batches, accum_steps):
    means, losses = [], []
    optimizer.zero_grad()
    for i, (x, y) in enumerate(micro_batches):
        loss = loss_fn(model(x), y)
        losses.append(loss)
        if (i + 1) % accum_steps == 0:
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
