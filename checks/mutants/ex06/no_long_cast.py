# Mutant: passes lengths - 1 to gather without .long(), so int32 / uint8 lengths break.
import torch
from torch import Tensor


def last_tokens(hidden: Tensor, lengths: Tensor) -> Tensor:
    batch, steps, features = hidden.shape
    if bool(((lengths < 1) | (lengths > steps)).any()):
        raise ValueError("every length must be in [1, T]")
    index = (lengths - 1).view(batch, 1, 1).expand(batch, 1, features)
    return hidden.gather(1, index).squeeze(1)
