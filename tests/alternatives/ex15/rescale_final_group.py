# Style: no buffering — every loss is divided by accum_steps and back-propagated at once; a short final group's gradients are rescaled by accum_steps / k before its step.
import torch


def train_accumulated(model, optimizer, loss_fn, micro_batches, accum_steps):
    if not accum_steps >= 1:
        raise ValueError("accum_steps must be a positive integer")
    params = [p for group in optimizer.param_groups for p in group["params"]]
    results, pending = [], []
    optimizer.zero_grad(set_to_none=True)
    for x, y in micro_batches:
        loss = loss_fn(model(x), y)
        (loss / accum_steps).backward()
        pending.append(float(loss))
        if len(pending) == accum_steps:
            optimizer.step()
            optimizer.zero_grad(set_to_none=True)
            results.append(sum(pending) / len(pending))
            pending = []
    if pending:
        with torch.no_grad():
            for p in params:
                if p.grad is not None:
                    p.grad.mul_(accum_steps / len(pending))
        optimizer.step()
        optimizer.zero_grad(set_to_none=True)
        results.append(sum(pending) / len(pending))
    return results
