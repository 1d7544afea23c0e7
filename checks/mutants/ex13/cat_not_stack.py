# Mutant: joins the padded sequences with torch.cat where torch.stack is meant, so padded is (B * L_max, F) instead of (B, L_max, F).
import torch
import torch.nn.functional as F


def pad_collate(batch, pad_value=0.0):
    if len(batch) == 0:
        raise ValueError("empty batch")
    seqs = [s for s, _ in batch]
    if any(s.shape[1] != seqs[0].shape[1] or s.dtype != seqs[0].dtype for s in seqs):
        raise ValueError("sequences differ in F or dtype")
    longest = max(s.shape[0] for s in seqs)
    pieces = [F.pad(s, (0, 0, 0, longest - s.shape[0]), value=pad_value) for s in seqs]
    padded = torch.cat(pieces, dim=0)
    lengths = torch.tensor([s.shape[0] for s in seqs], dtype=torch.int64)
    labels = torch.tensor([int(y) for _, y in batch], dtype=torch.int64)
    return padded, lengths, labels
