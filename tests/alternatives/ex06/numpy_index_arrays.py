# Style: numpy index arrays (validated in numpy) used to index the tensor directly.
import numpy as np
import torch

def last_tokens(hidden, lengths):
    B, T, _ = hidden.shape
    l = np.asarray(lengths.detach().cpu().numpy(), dtype=np.int64)
    if l.min() < 1 or l.max() > T:
        raise ValueError("lengths out of range")
    return hidden[np.arange(B), l - 1]
