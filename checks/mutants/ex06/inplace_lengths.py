# Mutant: subtracts 1 in place (lengths -= 1); .long() on int64 is no copy, so the caller's lengths change.
import torch
from torch import Tensor


def last_tokens(hidden: Tensor, lengths: Tensor) -> Tensor:
    batch, steps, _ = hidden.shape
    lengths = lengths.long()
    if bool(((lengths < 1) | (lengths > steps)).any()):
        raise ValueError("every length must be in [1, T]")
    lengths -= 1
    return hidden[torch.arange(batch, device=hidden.device), lengths]
