# Mutant: vectorised selection, but validates the lengths one by one in a Python loop.
import torch
from torch import Tensor


def last_tokens(hidden: Tensor, lengths: Tensor) -> Tensor:
    batch, steps, _ = hidden.shape
    for length in lengths:
        if length < 1 or length > steps:
            raise ValueError(f"length {int(length)} is not in [1, {steps}]")
    index = lengths.long() - 1
    return hidden[torch.arange(batch, device=hidden.device), index]
