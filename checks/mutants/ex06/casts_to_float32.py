# Mutant: returns .float(), so float16 / float64 hidden come back as float32.
import torch
from torch import Tensor


def last_tokens(hidden: Tensor, lengths: Tensor) -> Tensor:
    batch, steps, _ = hidden.shape
    lengths = lengths.long()
    if bool(((lengths < 1) | (lengths > steps)).any()):
        raise ValueError("every length must be in [1, T]")
    return hidden[torch.arange(batch, device=hidden.device), lengths - 1].float()
