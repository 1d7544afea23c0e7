# Mutant: validates with lengths >= T, so a sequence that fills the whole padded length is rejected.
import torch
from torch import Tensor


def last_tokens(hidden: Tensor, lengths: Tensor) -> Tensor:
    batch, steps, _ = hidden.shape
    lengths = lengths.long()
    if bool(((lengths < 1) | (lengths >= steps)).any()):
        raise ValueError("every length must be in [1, T)")
    return hidden[torch.arange(batch, device=hidden.device), lengths - 1]
