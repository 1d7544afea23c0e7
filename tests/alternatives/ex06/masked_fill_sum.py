# Style: zero every position but the last valid one with masked_fill, then sum over time (exact: the padding is replaced, never multiplied).
import torch
from torch import Tensor


def last_tokens(hidden: Tensor, lengths: Tensor) -> Tensor:
    steps = hidden.shape[1]
    last = lengths.to(hidden.device).long() - 1
    if bool(((last < 0) | (last >= steps)).any()):
        raise ValueError(f"lengths must lie in 1..{steps}")
    keep = torch.arange(steps, device=hidden.device)[None, :] == last[:, None]  # (B, T)
    return hidden.masked_fill(~keep[:, :, None], 0).sum(dim=1)
