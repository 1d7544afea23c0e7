# Mutant: returns torch.cdist(a, b), the distances themselves, not their squares.
import torch


def pairwise_sq_distances(a, b):
    if a.dim() != 2 or b.dim() != 2 or a.shape[1] != b.shape[1]:
        raise ValueError("a and b must be (N, D) and (M, D)")
    return torch.cdist(a, b)
