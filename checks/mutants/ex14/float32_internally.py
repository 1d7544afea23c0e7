# Mutant: computes in float32 and casts the result back to the input dtype, so float64 results carry float32 rounding errors.
import torch


def pairwise_sq_distances(a, b):
    if a.dim() != 2 or b.dim() != 2 or a.shape[1] != b.shape[1]:
        raise ValueError("a and b must be (N, D) and (M, D)")
    d = ((a.float()[:, None] - b.float()[None]) ** 2).sum(-1)
    return d.to(a.dtype)
