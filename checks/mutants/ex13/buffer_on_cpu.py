# Mutant: creates the padded buffer without device=, so on a GPU the batch comes back on the CPU.
import torch


def pad_collate(batch, pad_value=0.0):
    if len(batch) == 0:
        raise ValueError("empty batch")
    seqs = [s for s, _ in batch]
    if any(s.shape[1] != seqs[0].shape[1] or s.dtype != seqs[0].dtype for s in seqs):
        raise ValueError("sequences differ in F or dtype")
    longest = max(s.shape[0] for s in seqs)
    padded = torch.full((len(seqs), longest, seqs[0].shape[1]), pad_value, dtype=seqs[0].dtype)
    for i, s in enumerate(seqs):
        padded[i, : s.shape[0]] = s
    lengths = torch.tensor([s.shape[0] for s in seqs], dtype=torch.int64)
    labels = torch.tensor([int(y) for _, y in batch], dtype=torch.int64)
    return padded, lengths, labels
