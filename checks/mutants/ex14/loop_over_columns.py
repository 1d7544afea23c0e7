# Mutant: vectorised over a but loops over the rows of b in Python, so the number of operations grows with M.
import torch


def pairwise_sq_distances(a, b):
    if a.dim() != 2 or b.dim() != 2 or a.shape[1] != b.shape[1]:
        raise ValueError("a and b must be (N, D) and (M, D)")
    if b.shape[0] == 0:
        return a.new_zeros((a.shape[0], 0))
    columns = [((a - point) ** 2).sum(dim=1) for point in b]
    return torch.stack(columns, dim=1)
