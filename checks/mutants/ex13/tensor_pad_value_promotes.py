# Mutant: builds the padding from torch.tensor(pad_value) (float32) and cats it to each sequence: torch.cat promotes, so float16 and int64 sequences come back float32.
import torch


def pad_collate(batch, pad_value=0.0):
    if len(batch) == 0:
        raise ValueError("empty batch")
    seqs = [s for s, _ in batch]
    if any(s.shape[1] != seqs[0].shape[1] or s.dtype != seqs[0].dtype for s in seqs):
        raise ValueError("sequences differ in F or dtype")
    longest = max(s.shape[0] for s in seqs)
    fill = torch.tensor(pad_value, device=seqs[0].device)
    rows = [torch.cat([s, fill.expand(longest - s.shape[0], s.shape[1])]) for s in seqs]
    padded = torch.stack(rows)
    lengths = torch.tensor([s.shape[0] for s in seqs], dtype=torch.int64)
    labels = torch.tensor([int(y) for _, y in batch], dtype=torch.int64)
    return padded, lengths, labels
