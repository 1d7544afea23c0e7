"""Reference solution for exercise 16: clip gradients by their global norm."""

from __future__ import annotations

from collections.abc import Iterable

import torch
from torch import Tensor


def clip_grad_norm(parameters: Iterable[Tensor] | Tensor, max_norm: float,
                   norm_type: float = 2.0) -> Tensor:
    params = [parameters] if isinstance(parameters, Tensor) else list(parameters)  # a generator is read once
    grads = [p.grad for p in params if p.grad is not None]
    if not grads:
        return torch.tensor(0.0)
    norm_type = float(norm_type)
    with torch.no_grad():
        # the norm of the per-tensor norms is the norm of everything concatenated (for every p, inf too)
        per_tensor = torch.stack([torch.linalg.vector_norm(g, norm_type) for g in grads])
        total = torch.linalg.vector_norm(per_tensor, norm_type)
        if total > max_norm:
            scale = max_norm / (total + 1e-6)
            for g in grads:
                g.mul_(scale)
    return total
