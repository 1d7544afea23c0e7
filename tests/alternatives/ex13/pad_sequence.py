# Style: torch.nn.utils.rnn.pad_sequence with batch_first=True; validation through sets of F and dtypes; labels through torch.as_tensor then .long().
from __future__ import annotations

import torch
from torch import Tensor
from torch.nn.utils.rnn import pad_sequence


def pad_collate(batch: list[tuple[Tensor, int | Tensor]], pad_value: float = 0.0) -> tuple[Tensor, Tensor, Tensor]:
    if not batch:
        raise ValueError("empty batch")
    sequences, labels = zip(*batch)
    if len({s.shape[-1] for s in sequences}) != 1:
        raise ValueError("all sequences need the same number of features")
    if len({s.dtype for s in sequences}) != 1:
        raise ValueError("all sequences need the same dtype")
    padded = pad_sequence(list(sequences), batch_first=True, padding_value=pad_value)
    lengths = torch.as_tensor([s.size(0) for s in sequences]).long()
    label_tensor = torch.stack([torch.as_tensor(y) for y in labels]).to(torch.int64)
    return padded, lengths, label_tensor
