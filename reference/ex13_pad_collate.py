"""Reference solution for exercise 13: collate variable-length sequences (new_full + slice assignment)."""

from __future__ import annotations

import torch
from torch import Tensor


def pad_collate(batch: list[tuple[Tensor, int | Tensor]], pad_value: float = 0.0
                ) -> tuple[Tensor, Tensor, Tensor]:
    """(sequence (L_i, F), label) pairs -> padded (B, L_max, F), lengths (B,), labels (B,)."""
    if len(batch) == 0:
        raise ValueError("pad_collate needs at least one (sequence, label) pair")
    sequences = [sequence for sequence, _ in batch]
    first = sequences[0]
    for sequence in sequences:
        if sequence.dim() != 2 or sequence.shape[1] != first.shape[1]:
            raise ValueError(f"every sequence must be (L, {first.shape[1]}), got {tuple(sequence.shape)}")
        if sequence.dtype != first.dtype:
            raise ValueError(f"every sequence must be {first.dtype}, got {sequence.dtype}")
    lengths = [sequence.shape[0] for sequence in sequences]
    # new_full keeps the sequences' dtype and device: pad_value is converted, never promoted.
    padded = first.new_full((len(sequences), max(lengths), first.shape[1]), pad_value)
    for row, sequence in enumerate(sequences):
        padded[row, : sequence.shape[0]] = sequence  # differentiable copy into the row's start
    labels = torch.tensor([int(label) for _, label in batch], dtype=torch.int64)
    return padded, torch.tensor(lengths, dtype=torch.int64), labels
