# Mutant: detaches the squared norms (precomputed like constants), so the values are right but the gradients are not.
import torch


def pairwise_sq_distances(a, b):
    if a.dim() != 2 or b.dim() != 2 or a.shape[1] != b.shape[1]:
        raise ValueError("a and b must be (N, D) and (M, D)")
    aa = (a * a).sum(1, keepdim=True).detach()
    bb = (b * b).sum(1, keepdim=True).detach()
    return (aa + bb.T - 2 * a @ b.T).clamp(min=0)
