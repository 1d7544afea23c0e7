# Mutant: creates the padded buffer with torch.full(..., pad_value) and no dtype, so it is float32 whatever the sequences' dtype (float64, float16 and int64 sequences are converted).
import torch


def pad_collate(batch, pad_value=0.0):
    if len(batch) == 0:
        raise ValueError("empty batch")
    seqs = [s for s, _ in batch]
    if any(s.shape[1] != seqs[0].shape[1] or s.dtype != seqs[0].dtype for s in seqs):
        raise ValueError("sequences differ in F or dtype")
    longest = max(s.shape[0] for s in seqs)
    padded = torch.full((len(seqs), longest, seqs[0].shape[1]), pad_value, device=seqs[0].device)
    for i, s in enumerate(seqs):
        padded[i, : s.shape[0]] = s
    lengths = torch.tensor([s.shape[0] for s in seqs], dtype=torch.int64)
    labels = torch.tensor([int(y) for _, y in batch], dtype=torch.int64)
    return padded, lengths, labels
