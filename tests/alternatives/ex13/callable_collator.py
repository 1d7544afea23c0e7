# Style: a callable object (dataclass) bound to the module-level name; F.pad per sequence, then torch.stack; numpy for the bookkeeping.
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch
import torch.nn.functional as F


@dataclass(frozen=True)
class PadCollator:
    default_pad: float = 0.0

    def __call__(self, batch, pad_value=None):
        pad = self.default_pad if pad_value is None else pad_value
        if len(batch) == 0:
            raise ValueError("cannot collate an empty batch")
        seqs = [item[0] for item in batch]
        widths = {int(s.shape[1]) for s in seqs}
        kinds = {s.dtype for s in seqs}
        if len(widths) > 1 or len(kinds) > 1:
            raise ValueError(f"mixed feature sizes {widths} or dtypes {kinds}")
        sizes = np.array([s.shape[0] for s in seqs], dtype=np.int64)
        target = int(sizes.max())
        padded = torch.stack([F.pad(s, (0, 0, 0, target - s.shape[0]), value=pad) for s in seqs])
        labels = np.array([int(item[1]) for item in batch], dtype=np.int64)
        return padded, torch.from_numpy(sizes), torch.from_numpy(labels)


pad_collate = PadCollator()
