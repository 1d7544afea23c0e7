# Mutant: advanced indexing with lengths - 1 in its own dtype (a uint8 index is a boolean mask; int8/int16 fail).
import torch
from torch import Tensor


def last_tokens(hidden: Tensor, lengths: Tensor) -> Tensor:
    batch, steps, _ = hidden.shape
    if bool(((lengths < 1) | (lengths > steps)).any()):
        raise ValueError("every length must be in [1, T]")
    return hidden[torch.arange(batch, device=hidden.device), lengths - 1]
