# Style: warns when lengths is not int64 before casting, flips the time axis and gathers from the end.
import warnings

import torch
from torch import Tensor


def last_tokens(hidden: Tensor, lengths: Tensor, *, warn_on_cast: bool = True) -> Tensor:
    T = hidden.shape[1]
    if lengths.dtype != torch.int64:
        if warn_on_cast:
            warnings.warn(f"lengths has dtype {lengths.dtype}; casting to int64", UserWarning, stacklevel=2)
        lengths = lengths.to(torch.int64)
    lengths = lengths.to(hidden.device)
    if ((lengths < 1) | (lengths > T)).any():
        raise ValueError("lengths out of range")
    # in the flipped sequence the last valid token sits at T - length
    flipped = hidden.flip(1)
    offset = (T - lengths)[:, None, None].expand(-1, 1, hidden.shape[2])
    return flipped.gather(1, offset)[:, 0, :]
