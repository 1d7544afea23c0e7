# Mutant: selects from hidden.detach(), so no gradient flows back to hidden.
import torch
from torch import Tensor


def last_tokens(hidden: Tensor, lengths: Tensor) -> Tensor:
    batch, steps, _ = hidden.shape
    lengths = lengths.long()
    if bool(((lengths < 1) | (lengths > steps)).any()):
        raise ValueError("every length must be in [1, T]")
    return hidden.detach()[torch.arange(batch, device=hidden.device), lengths - 1]
