# Mutant: indexes hidden[b, lengths[b]] (forgets that indices are 0-based).
import torch
from torch import Tensor


def last_tokens(hidden: Tensor, lengths: Tensor) -> Tensor:
    batch, steps, features = hidden.shape
    lengths = lengths.to(device=hidden.device, dtype=torch.long)
    if bool(((lengths < 1) | (lengths > steps)).any()):
        raise ValueError("every length must be in [1, T]")
    return hidden[torch.arange(batch, device=hidden.device), lengths]
