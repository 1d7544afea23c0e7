# Style: torch.func.vmap over the batch with index_select per row; validation under torch.no_grad.
import torch
from torch import Tensor
from torch.func import vmap


def _pick(sequence: Tensor, length: Tensor) -> Tensor:
    # inside vmap, `length` is a 0-d (batched) tensor: index_select needs a 1-d index
    return sequence.index_select(0, (length - 1).reshape(1)).squeeze(0)


def last_tokens(hidden: Tensor, lengths: Tensor) -> Tensor:
    T = hidden.shape[1]
    lengths = lengths.to(device=hidden.device, dtype=torch.long)
    with torch.no_grad():
        ok = torch.logical_and(lengths >= 1, lengths <= T).all()
    if not ok:
        raise ValueError("each length must be between 1 and T")
    return vmap(_pick)(hidden, lengths)
