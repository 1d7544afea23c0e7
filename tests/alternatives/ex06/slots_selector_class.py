# Style: a small selector class with __slots__ and a frozen dataclass for the checked sizes; logs with print.
from __future__ import annotations

from dataclasses import dataclass

import torch
from torch import Tensor


class LengthError(ValueError):
    """A length outside 1..T."""


@dataclass(frozen=True)
class Sizes:
    batch: int
    steps: int
    features: int


class LastTokenSelector:
    __slots__ = ("verbose",)

    def __init__(self, verbose: bool = False) -> None:
        self.verbose = verbose

    def __call__(self, hidden: Tensor, lengths: Tensor) -> Tensor:
        sizes = Sizes(*hidden.shape)
        lengths = lengths.to(hidden.device).long()
        lo, hi = torch.aminmax(lengths)
        if lo.item() < 1 or hi.item() > sizes.steps:
            raise LengthError(f"lengths must be in [1, {sizes.steps}]")
        if self.verbose:
            print(f"selecting from {sizes}")
        batch_index = torch.arange(sizes.batch, device=hidden.device)
        return hidden[batch_index, lengths - 1, :]


_selector = LastTokenSelector(verbose=True)


def last_tokens(hidden: Tensor, lengths: Tensor) -> Tensor:
    return _selector(hidden, lengths)
