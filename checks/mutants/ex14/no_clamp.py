# Mutant: uses the expansion |a|^2 + |b|^2 - 2 a.b without clamping, so a pair of equal points can come out slightly negative.
import torch


def pairwise_sq_distances(a, b):
    if a.dim() != 2 or b.dim() != 2 or a.shape[1] != b.shape[1]:
        raise ValueError("a and b must be (N, D) and (M, D)")
    aa = (a * a).sum(dim=1, keepdim=True)
    bb = (b * b).sum(dim=1, keepdim=True)
    return aa + bb.T - 2.0 * a @ b.T
