# Style: the p-norm written out by hand (abs, pow, sum, root; max for inf), a generator of gradients walked in a loop, scaling via .data.
from __future__ import annotations

import math
from collections.abc import Iterable

import torch
from torch import Tensor


def _gradients(parameters):
    if torch.is_tensor(parameters):
        yield parameters.grad
        return
    for p in parameters:
        yield p.grad


def clip_grad_norm(parameters: Iterable[Tensor] | Tensor, max_norm: float, norm_type: float = 2.0) -> Tensor:
    grads = [g for g in _gradients(parameters) if g is not None]
    if not grads:
        return torch.tensor(0.0)
    p = float(norm_type)
    if math.isinf(p):
        total = grads[0].detach().abs().max()
        for g in grads[1:]:
            total = torch.maximum(total, g.detach().abs().max())
    else:
        acc = torch.zeros((), dtype=grads[0].dtype, device=grads[0].device)
        for g in grads:
            acc = acc + g.detach().abs().pow(p).sum()
        total = acc.pow(1.0 / p)
    if float(total) > max_norm:
        factor = max_norm / (float(total) + 1e-6)
        for g in grads:
            g.data.mul_(factor)
    return total
