# Mutant: clips each parameter by its own norm instead of the global norm, and returns the largest one.
from __future__ import annotations

from collections.abc import Iterable

import torch
from torch import Tensor


def clip_grad_norm(parameters: Iterable[Tensor] | Tensor, max_norm: float, norm_type: float = 2.0) -> Tensor:
    params = [parameters] if isinstance(parameters, Tensor) else list(parameters)
    grads = [p.grad for p in params if p.grad is not None]
    if not grads:
        return torch.tensor(0.0)
    norms = []
    for g in grads:
        n = torch.linalg.vector_norm(g, norm_type)
        norms.append(n)
        if n > max_norm:
            g.mul_(max_norm / (n + 1e-6))
    return torch.stack(norms).max()