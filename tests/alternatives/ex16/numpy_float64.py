# Style: the norm computed in float64 numpy (np.linalg.norm of per-tensor norms), returned as a tensor of the gradients' dtype; itertools for the one-shot iterable.
from __future__ import annotations

import itertools
from collections.abc import Iterable

import numpy as np
import torch
from torch import Tensor


def clip_grad_norm(parameters: Iterable[Tensor] | Tensor, max_norm: float, norm_type: float = 2.0) -> Tensor:
    """Clip in place; returns the global norm before clipping."""
    params = (parameters,) if isinstance(parameters, Tensor) else tuple(itertools.chain(parameters))
    grads = [p.grad for p in params if p.grad is not None]
    if not grads:
        return torch.tensor(0.)
    order = np.inf if norm_type == float("inf") else float(norm_type)
    norms = [np.linalg.norm(g.detach().cpu().numpy().astype(np.float64).ravel(), ord=order) for g in grads]
    total = float(np.linalg.norm(np.array(norms), ord=order))
    if total > max_norm:
        clip = max_norm / (total + 1e-6)
        with torch.no_grad():
            for g in grads:
                g *= clip
    return torch.tensor(total, dtype=grads[0].dtype, device=grads[0].device)
