# Mutant: converts to float32 first (a.float()), so float64 inputs come back as float32.
import torch


def pairwise_sq_distances(a, b):
    if a.dim() != 2 or b.dim() != 2 or a.shape[1] != b.shape[1]:
        raise ValueError("a and b must be (N, D) and (M, D)")
    a, b = a.float(), b.float()
    return ((a[:, None] - b[None]) ** 2).sum(-1)
