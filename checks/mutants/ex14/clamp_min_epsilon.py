# Mutant: clamps at 1e-12 instead of 0 (an epsilon kept for a later sqrt), so equal points at the origin get 1e-12, not 0.
import torch


def pairwise_sq_distances(a, b):
    if a.dim() != 2 or b.dim() != 2 or a.shape[1] != b.shape[1]:
        raise ValueError("a and b must be (N, D) and (M, D)")
    aa = (a * a).sum(1, keepdim=True)
    bb = (b * b).sum(1, keepdim=True)
    return (aa + bb.T - 2 * a @ b.T).clamp(min=1e-12)
