# Mutant: reads batch[0] before anything else, so an empty batch raises IndexError instead of ValueError.
import torch
from torch.nn.utils.rnn import pad_sequence


def pad_collate(batch, pad_value=0.0):
    first = batch[0][0]
    seqs = [s for s, _ in batch]
    if any(s.shape[1] != first.shape[1] or s.dtype != first.dtype for s in seqs):
        raise ValueError("sequences differ in F or dtype")
    padded = pad_sequence(seqs, batch_first=True, padding_value=pad_value)
    lengths = torch.tensor([len(s) for s in seqs], dtype=torch.int64)
    labels = torch.tensor([int(y) for _, y in batch], dtype=torch.int64)
    return padded, lengths, labels
