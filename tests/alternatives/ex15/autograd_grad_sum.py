# Style: gradients from torch.autograd.grad summed by hand over the group, divided by k and assigned to .grad (replacing whatever was there), then optimizer.step().
import itertools

import torch


def train_accumulated(model, optimizer, loss_fn, micro_batches, accum_steps):
    if accum_steps < 1:
        raise ValueError("accum_steps must be >= 1")
    params = [p for g in optimizer.param_groups for p in g["params"] if p.requires_grad]
    source = iter(micro_batches)
    out = []
    while True:
        group = list(itertools.islice(source, accum_steps))
        if not group:
            return out
        sums = [torch.zeros_like(p) for p in params]
        values = []
        for x, y in group:
            loss = loss_fn(model(x), y)
            grads = torch.autograd.grad(loss, params, allow_unused=True)
            for s, g in zip(sums, grads):
                if g is not None:
                    s.add_(g)
            values.append(loss.item())
        for p, s in zip(params, sums):
            p.grad = s / len(group)
        optimizer.step()
        out.append(sum(values) / len(values))
