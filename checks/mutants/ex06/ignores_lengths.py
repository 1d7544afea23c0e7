# Mutant: returns the last time step hidden[:, -1] for every sequence, ignoring lengths (a padding token).
import torch
from torch import Tensor


def last_tokens(hidden: Tensor, lengths: Tensor) -> Tensor:
    steps = hidden.shape[1]
    if bool(((lengths < 1) | (lengths > steps)).any()):
        raise ValueError("every length must be in [1, T]")
    return hidden[:, -1]
