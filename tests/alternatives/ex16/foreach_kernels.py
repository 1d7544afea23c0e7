# Style: torch's foreach kernels (_foreach_norm, _foreach_mul_) grouped by nothing, a conditional clip, errors of the no-grad case avoided with an early return.
from __future__ import annotations

from collections.abc import Iterable

import torch
from torch import Tensor


def clip_grad_norm(parameters: Iterable[Tensor] | Tensor, max_norm: float, norm_type: float = 2.0) -> Tensor:
    parameters = [parameters] if isinstance(parameters, Tensor) else [*parameters]
    grads = [param.grad for param in parameters if param.grad is not None]
    if not grads:
        return torch.tensor(0.)
    norms = torch._foreach_norm(grads, norm_type)
    total_norm = torch.linalg.vector_norm(torch.stack(norms), norm_type)
    clip_coef = max_norm / (total_norm + 1e-6)
    if clip_coef < 1:
        torch._foreach_mul_(grads, clip_coef)
    return total_norm
