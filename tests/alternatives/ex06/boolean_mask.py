# Style: boolean mask over (B, T) and masked selection, lengths checked with a Python list.
import torch
from torch import Tensor


def last_tokens(hidden: Tensor, lengths: Tensor) -> Tensor:
    B, T, F = hidden.shape
    values = lengths.tolist()
    if any(not 1 <= v <= T for v in values):
        raise ValueError(f"lengths {values} out of range 1..{T}")
    positions = torch.arange(T, device=hidden.device).unsqueeze(0)        # (1, T)
    last = lengths.to(hidden.device).long().unsqueeze(1) - 1               # (B, 1)
    mask = positions == last                                               # (B, T), one True per row
    return hidden[mask].reshape(B, F)
