# Mutant: takes the difference of two cumulative sums over T (sum up to L minus sum up to L - 1): huge values earlier in the sequence swallow the selected one.
import torch
import torch.nn.functional as F
from torch import Tensor


def last_tokens(hidden: Tensor, lengths: Tensor) -> Tensor:
    B, T, _ = hidden.shape
    lengths = lengths.to(device=hidden.device, dtype=torch.long)
    if ((lengths < 1) | (lengths > T)).any():
        raise ValueError(f"every length must be in [1, {T}]")
    totals = F.pad(hidden.cumsum(dim=1), (0, 0, 1, 0))  # totals[:, k] = sum of the first k steps
    rows = torch.arange(B, device=hidden.device)
    return totals[rows, lengths] - totals[rows, lengths - 1]
