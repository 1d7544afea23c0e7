"""Reference solution for exercise 6: last token of each sequence (gather)."""

from __future__ import annotations

import torch
from torch import Tensor


def last_tokens(hidden: Tensor, lengths: Tensor) -> Tensor:
    """Row b of the result is hidden[b, lengths[b] - 1]; (B, T, F), (B,) -> (B, F)."""
    if hidden.dim() != 3:
        raise ValueError(f"hidden must be (B, T, F), got shape {tuple(hidden.shape)}")
    batch, steps, features = hidden.shape
    if lengths.shape != (batch,):
        raise ValueError(f"lengths must have shape ({batch},), got {tuple(lengths.shape)}")
    # Widen before any arithmetic: uint8 would wrap around at 0 - 1.
    lengths = lengths.to(device=hidden.device, dtype=torch.long)
    # Two reductions, whatever B: validation costs a constant number of ops.
    if bool(((lengths < 1) | (lengths > steps)).any()):
        raise ValueError(f"every length must be in [1, {steps}], got {lengths.tolist()}")
    index = (lengths - 1).view(batch, 1, 1).expand(batch, 1, features)
    return hidden.gather(1, index).squeeze(1)
