# Style: the expansion with einsum for the norms and matmul for the cross term, negatives replaced by torch.where with a zero of the same dtype and device.
import torch


def pairwise_sq_distances(a, b):
    if a.dim() != 2 or b.dim() != 2:
        raise ValueError("need matrices")
    if a.shape[1] != b.shape[1]:
        raise ValueError("need the same D")
    na = torch.einsum("nd,nd->n", a, a)
    nb = torch.einsum("md,md->m", b, b)
    d = na[:, None] - 2 * torch.matmul(a, b.transpose(0, 1)) + nb[None, :]
    return torch.where(d < 0, torch.zeros_like(d), d)
