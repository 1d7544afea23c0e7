# Style: torch.take_along_dim with a broadcast index, numpy-like validation via torch.all.
import torch
from torch import Tensor


def last_tokens(hidden: Tensor, lengths: Tensor) -> Tensor:
    T = hidden.shape[1]
    pos = lengths.long().to(hidden.device) - 1
    if not torch.all((pos >= 0) & (pos < T)):
        raise ValueError("each length must satisfy 1 <= length <= T")
    return torch.take_along_dim(hidden, pos[:, None, None], dim=1)[:, 0, :]
