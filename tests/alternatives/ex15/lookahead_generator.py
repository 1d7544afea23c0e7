# Style: a look-ahead generator marks the last micro-batch, so each group is trained as it streams in (forward and backward right away), its size known when it closes.
def _with_last_flag(iterable):
    it = iter(iterable)
    try:
        current = next(it)
    except StopIteration:
        return
    for following in it:
        yield current, False
        current = following
    yield current, True


def train_accumulated(model, optimizer, loss_fn, micro_batches, accum_steps):
    if isinstance(accum_steps, bool) or accum_steps < 1:
        raise ValueError("accum_steps must be >= 1")
    means = []
    group_losses = []
    group_start = True
    for index, ((x, y), last) in enumerate(_with_last_flag(micro_batches)):
        if group_start:
            optimizer.zero_grad()
            group_start = False
        loss = loss_fn(model(x), y)
        loss.backward()  # summed gradients; divided by k when the group closes
        group_losses.append(loss.item())
        if len(group_losses) == accum_steps or last:
            k = len(group_losses)
            for group in optimizer.param_groups:
                for p in group["params"]:
                    if p.grad is not None:
                        p.grad.div_(k)
            optimizer.step()
            means.append(sum(group_losses) / k)
            group_losses = []
            group_start = True
    return means
