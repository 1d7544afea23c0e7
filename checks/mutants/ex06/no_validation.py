# Mutant: never checks the lengths (0 or negative silently picks from the end; > T raises IndexError).
import torch
from torch import Tensor


def last_tokens(hidden: Tensor, lengths: Tensor) -> Tensor:
    batch = hidden.shape[0]
    return hidden[torch.arange(batch, device=hidden.device), lengths.long() - 1]
