# Style: the gather in a torch.jit.script helper; argument checks in plain Python before it.
import torch
from torch import Tensor


@torch.jit.script
def _gather_last(hidden: Tensor, last_index: Tensor) -> Tensor:
    B, _, F = hidden.shape
    idx = last_index.view(B, 1, 1).expand(B, 1, F)
    return torch.gather(hidden, 1, idx).squeeze(1)


def last_tokens(hidden: Tensor, lengths: Tensor) -> Tensor:
    T = hidden.size(1)
    lengths = lengths.to(hidden.device, torch.int64)
    out_of_range = (lengths < 1).logical_or(lengths > T)
    if out_of_range.any().item():
        raise ValueError(f"every length must be in 1..{T}")
    return _gather_last(hidden, lengths - 1)
