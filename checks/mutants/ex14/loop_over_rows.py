# Mutant: loops over the rows of a in Python (one broadcast per row), right values but the number of operations grows with N.
import torch


def pairwise_sq_distances(a, b):
    if a.dim() != 2 or b.dim() != 2 or a.shape[1] != b.shape[1]:
        raise ValueError("a and b must be (N, D) and (M, D)")
    if a.shape[0] == 0:
        return a.new_zeros((0, b.shape[0]))
    rows = [((row - b) ** 2).sum(dim=1) for row in a]
    return torch.stack(rows)
