# Mutant: simply calls torch.nn.utils.clip_grad_norm_, which the task forbids.
from __future__ import annotations

from collections.abc import Iterable

import torch
from torch import Tensor


def clip_grad_norm(parameters: Iterable[Tensor] | Tensor, max_norm: float, norm_type: float = 2.0) -> Tensor:
    return torch.nn.utils.clip_grad_norm_(parameters, max_norm, norm_type)