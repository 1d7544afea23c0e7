# Mutant: puts the new axes the other way round (a[None] - b[:, None]), which gives the (M, N) transpose.
import torch


def pairwise_sq_distances(a, b):
    if a.dim() != 2 or b.dim() != 2 or a.shape[1] != b.shape[1]:
        raise ValueError("a and b must be (N, D) and (M, D)")
    return ((a[None, :, :] - b[:, None, :]) ** 2).sum(dim=-1)
