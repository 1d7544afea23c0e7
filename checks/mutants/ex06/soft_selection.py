# Mutant: selects with a sharp softmax over the positions (a soft weighting), so the other positions leak in with tiny weights.
import torch
def last_tokens(hidden, lengths):
    B, T, F = hidden.shape
    lengths = lengths.long()
    if ((lengths < 1) | (lengths > T)).any():
        raise ValueError("bad")
    pos = torch.arange(T, dtype=hidden.dtype)
    w = torch.softmax(-50.0 * (pos[None, :] - (lengths[:, None] - 1).to(hidden.dtype)).abs(), dim=1)
    return torch.einsum("bt,btf->bf", w, hidden)
