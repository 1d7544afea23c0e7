# Mutant: rescales by the largest coordinate for stability (a.abs().max()), which raises on an empty a or b.
import torch


def pairwise_sq_distances(a, b):
    if a.dim() != 2 or b.dim() != 2 or a.shape[1] != b.shape[1]:
        raise ValueError("a and b must be (N, D) and (M, D)")
    scale = torch.maximum(a.abs().max(), b.abs().max()).clamp_min(1e-30)
    diff = (a / scale)[:, None] - (b / scale)[None]
    return (diff ** 2).sum(-1) * scale ** 2
