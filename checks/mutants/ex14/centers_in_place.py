# Mutant: subtracts b's mean from both inputs in place (for accuracy), modifying the caller's a and b.
import torch


def pairwise_sq_distances(a, b):
    if a.dim() != 2 or b.dim() != 2 or a.shape[1] != b.shape[1]:
        raise ValueError("a and b must be (N, D) and (M, D)")
    if b.shape[0] > 0:
        centre = b.mean(dim=0)
        a -= centre
        b -= centre
    aa = (a * a).sum(1, keepdim=True)
    bb = (b * b).sum(1, keepdim=True)
    return (aa + bb.T - 2 * a @ b.T).clamp(min=0)
