# Mutant: rejects lengths < 1 but forgets lengths > T (an IndexError escapes instead of ValueError).
import torch
from torch import Tensor


def last_tokens(hidden: Tensor, lengths: Tensor) -> Tensor:
    batch = hidden.shape[0]
    lengths = lengths.long()
    if bool((lengths < 1).any()):
        raise ValueError("every length must be at least 1")
    return hidden[torch.arange(batch, device=hidden.device), lengths - 1]
