# Style: flatten (B, T) with reshape and index_select rows b*T + L - 1; prints while it works.
"""Flatten (B, T) and index_select with b*T + L - 1."""
import torch
from torch import Tensor

def last_tokens(hidden: Tensor, lengths: Tensor) -> Tensor:
    batch, steps, feats = hidden.shape
    lengths = lengths.to(device=hidden.device, dtype=torch.int64)
    if torch.any(lengths < 1) or torch.any(lengths > steps):
        raise ValueError(f"each length must be within 1..{steps}")
    flat = hidden.reshape(batch * steps, feats)
    rows = torch.arange(batch, device=hidden.device) * steps + lengths - 1
    print("selecting", rows.shape)
    return flat.index_select(0, rows)
