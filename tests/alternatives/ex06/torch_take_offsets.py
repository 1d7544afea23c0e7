# Style: torch.take with flat element offsets computed from hidden's strides (works for non-contiguous views too).
import torch
from torch import Tensor


def last_tokens(hidden: Tensor, lengths: Tensor) -> Tensor:
    B, T, F = hidden.shape
    lengths = lengths.long().to(hidden.device)
    if lengths.lt(1).any() or lengths.gt(T).any():
        raise ValueError("lengths out of range")
    # torch.take reads hidden as if contiguous (row-major), whatever its strides
    rows = torch.arange(B, device=hidden.device)[:, None] * (T * F)
    cols = (lengths - 1)[:, None] * F + torch.arange(F, device=hidden.device)[None, :]
    return torch.take(hidden, rows + cols)
