# Style: vectorised — a (B, L_max) mask from arange < lengths, and padded[mask] = torch.cat(sequences) with torch.where to keep autograd.
import torch


def pad_collate(batch, pad_value: float = 0.0):
    if len(batch) == 0:
        raise ValueError("empty batch")
    seqs = [seq for seq, _ in batch]
    head = seqs[0]
    if any(s.ndim != 2 or s.shape[1] != head.shape[1] for s in seqs):
        raise ValueError("sequences must share F")
    if any(s.dtype != head.dtype for s in seqs):
        raise ValueError("sequences must share a dtype")
    lengths = torch.tensor([s.shape[0] for s in seqs], dtype=torch.long, device=head.device)
    steps = torch.arange(int(lengths.max()), device=head.device)
    mask = steps.unsqueeze(0) < lengths.unsqueeze(1)                       # (B, L_max)
    flat = torch.cat(seqs, dim=0)                                           # (sum L_i, F)
    slots = torch.zeros(mask.shape + (head.shape[1],), dtype=head.dtype, device=head.device)
    slots = slots.index_put((mask,), flat)                                  # out of place: differentiable
    filled = torch.full_like(slots, pad_value)
    padded = torch.where(mask.unsqueeze(-1), slots, filled)
    labels = torch.tensor([int(label) for _, label in batch], dtype=torch.long, device=head.device)
    return padded, lengths, labels
