# Style: expand both to (N, M, D) explicitly and take torch.linalg.vector_norm(...) ** 2 along D.
import torch


def pairwise_sq_distances(a, b):
    if a.dim() != 2 or b.dim() != 2:
        raise ValueError("a and b must be 2-D")
    n, d = a.shape
    m, d2 = b.shape
    if d != d2:
        raise ValueError("a and b must have the same number of columns")
    left = a[:, None, :].expand(n, m, d)
    right = b[None, :, :].expand(n, m, d)
    return torch.linalg.vector_norm(left - right, dim=2).square()
