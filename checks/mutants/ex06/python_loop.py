# Mutant: picks each row in a Python loop over the batch (correct values, not vectorised).
import torch
from torch import Tensor


def last_tokens(hidden: Tensor, lengths: Tensor) -> Tensor:
    batch, steps, _ = hidden.shape
    lengths = lengths.long()
    if bool(((lengths < 1) | (lengths > steps)).any()):
        raise ValueError("every length must be in [1, T]")
    rows = [hidden[b, lengths[b] - 1] for b in range(batch)]
    return torch.stack(rows)
