"""Reference solution for exercise 14: pairwise squared distances by broadcasting."""

from __future__ import annotations

from torch import Tensor


def pairwise_sq_distances(a: Tensor, b: Tensor) -> Tensor:
    """out[i, j] = ||a_i - b_j||^2 for a (N, D) and b (M, D): (N, 1, D) - (1, M, D) broadcasts to (N, M, D)."""
    if a.dim() != 2 or b.dim() != 2:
        raise ValueError(f"a and b must be 2-D, got shapes {tuple(a.shape)} and {tuple(b.shape)}")
    if a.shape[1] != b.shape[1]:
        raise ValueError(f"a and b must have the same D, got {a.shape[1]} and {b.shape[1]}")
    diff = a[:, None, :] - b[None, :, :]
    return (diff * diff).sum(dim=-1)  # a sum of squares: never negative, no clamp needed
