# Style: the expansion |a|^2 + |b|^2 - 2 a b^T with addmm, clamped at 0; validation through shape unpacking.
import torch
from torch import Tensor


def pairwise_sq_distances(a: Tensor, b: Tensor) -> Tensor:
    if a.ndim != 2 or b.ndim != 2:
        raise ValueError("expected 2-D inputs")
    (_, d_a), (_, d_b) = a.shape, b.shape
    if d_a != d_b:
        raise ValueError(f"dimension mismatch: {d_a} vs {d_b}")
    a_sq = a.pow(2).sum(dim=1, keepdim=True)        # (N, 1)
    b_sq = b.pow(2).sum(dim=1, keepdim=True).T      # (1, M)
    out = torch.addmm(a_sq + b_sq, a, b.T, beta=1.0, alpha=-2.0)
    return out.clamp_min(0.0)
