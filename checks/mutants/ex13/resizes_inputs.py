# Mutant: grows each caller's sequence in place with resize_ and fills its tail, modifying the batch it was given.
import torch


def pad_collate(batch, pad_value=0.0):
    if len(batch) == 0:
        raise ValueError("empty batch")
    seqs = [s for s, _ in batch]
    if any(s.shape[1] != seqs[0].shape[1] or s.dtype != seqs[0].dtype for s in seqs):
        raise ValueError("sequences differ in F or dtype")
    lengths = torch.tensor([s.shape[0] for s in seqs], dtype=torch.int64)
    longest = int(lengths.max())
    for s in seqs:
        n = s.shape[0]
        if n < longest:
            s.resize_(longest, s.shape[1])
            s[n:] = pad_value
    padded = torch.stack(seqs)
    labels = torch.tensor([int(y) for _, y in batch], dtype=torch.int64)
    return padded, lengths, labels
