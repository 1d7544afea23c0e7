# Style: torch.func.functional_call + torch.func.grad_and_value, gradients written into .grad with copy_ / assignment.
import torch
from torch.func import functional_call, grad_and_value


def train(model, optimizer, batches):
    names = [n for n, _ in model.named_parameters()]

    def loss_of(params, x, y):
        out = functional_call(model, params, (x,))
        return ((out - y) ** 2).mean()

    losses = []
    for x, y in batches:
        params = {n: p.detach() for n, p in model.named_parameters()}
        grads, loss = grad_and_value(loss_of)(params, x, y)
        for n, p in model.named_parameters():
            p.grad = grads[n].clone()
        optimizer.step()
        losses.append(float(loss))
    return losses
