# Mutant: calls torch's get_total_norm and clip_grads_with_norm_ bound at import time, which the task forbids.
from __future__ import annotations

from collections.abc import Iterable

from torch import Tensor
from torch.nn.utils import clip_grads_with_norm_, get_total_norm


def clip_grad_norm(parameters: Iterable[Tensor] | Tensor, max_norm: float, norm_type: float = 2.0) -> Tensor:
    params = [parameters] if isinstance(parameters, Tensor) else list(parameters)
    grads = [p.grad for p in params if p.grad is not None]
    total = get_total_norm(grads, norm_type)
    if total > max_norm:
        clip_grads_with_norm_(params, max_norm, total)
    return total
