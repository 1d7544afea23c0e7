# Style: every gradient flattened and concatenated into one vector, its norm taken at once; clip factor clamped to 1 and always applied (as torch does).
from __future__ import annotations

from collections.abc import Iterable

import torch
from torch import Tensor


def clip_grad_norm(parameters: Iterable[Tensor] | Tensor, max_norm: float, norm_type: float = 2.0) -> Tensor:
    if isinstance(parameters, torch.Tensor):
        parameters = [parameters]
    grads = [p.grad for p in list(parameters) if p.grad is not None]
    if len(grads) == 0:
        return torch.tensor(0.)
    with torch.no_grad():
        flat = torch.cat([g.detach().reshape(-1) for g in grads])
        total = torch.linalg.vector_norm(flat, ord=norm_type)
        coef = torch.clamp(max_norm / (total + 1e-6), max=1.0)
        for g in grads:
            g.mul_(coef)
    return total
