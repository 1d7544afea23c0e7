# Mutant: flattens with hidden.view(B * T, F), which fails on a non-contiguous (transposed) hidden.
import torch
from torch import Tensor


def last_tokens(hidden: Tensor, lengths: Tensor) -> Tensor:
    batch, steps, features = hidden.shape
    lengths = lengths.to(device=hidden.device, dtype=torch.long)
    if bool(((lengths < 1) | (lengths > steps)).any()):
        raise ValueError("every length must be in [1, T]")
    flat = hidden.view(batch * steps, features)
    return flat[torch.arange(batch, device=hidden.device) * steps + lengths - 1]
