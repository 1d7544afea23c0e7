# Style: broadcasting with unsqueeze, then einsum over the feature axis.
import torch


def pairwise_sq_distances(a: torch.Tensor, b: torch.Tensor) -> torch.Tensor:
    if len(a.shape) != 2 or len(b.shape) != 2 or a.shape[-1] != b.shape[-1]:
        raise ValueError(f"incompatible shapes {tuple(a.shape)} and {tuple(b.shape)}")
    diff = a.unsqueeze(1) - b.unsqueeze(0)          # (N, M, D)
    return torch.einsum("nmd,nmd->nm", diff, diff)
