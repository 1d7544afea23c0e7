# Style: RNN-tutorial habit: sort the batch by length, gather in sorted order, then undo the sort with argsort.
import torch
from torch import Tensor


def last_tokens(hidden: Tensor, lengths: Tensor) -> Tensor:
    T = hidden.size(1)
    lengths = lengths.to(hidden.device).long()
    if lengths.min().item() < 1 or lengths.max().item() > T:
        raise ValueError("bad lengths")
    sorted_lengths, order = torch.sort(lengths, descending=True)
    sorted_hidden = hidden.index_select(0, order)
    picked = sorted_hidden[torch.arange(len(order), device=hidden.device), sorted_lengths - 1]
    return picked[order.argsort()]
