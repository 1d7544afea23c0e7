# Style: torch.cdist(a, b) ** 2, with the checks written as assertions turned into ValueError.
import torch


def pairwise_sq_distances(a, b):
    try:
        assert a.dim() == 2 and b.dim() == 2, "both inputs must be matrices"
        assert a.size(-1) == b.size(-1), "feature sizes differ"
    except AssertionError as err:
        raise ValueError(str(err)) from None
    return torch.cdist(a, b, p=2.0) ** 2
