# Mutant: relies on the matrix product to reject different D, so the error is a RuntimeError, not ValueError.
import torch


def pairwise_sq_distances(a, b):
    if a.dim() != 2 or b.dim() != 2:
        raise ValueError("a and b must be 2-D")
    aa = (a * a).sum(1)[:, None]
    bb = (b * b).sum(1)[None, :]
    return (aa + bb - 2 * a @ b.T).clamp_min(0)
