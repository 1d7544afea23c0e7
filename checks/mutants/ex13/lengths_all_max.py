# Mutant: reports L_max as the length of every sequence (the padded length), not each sequence's own length.
import torch
from torch.nn.utils.rnn import pad_sequence


def pad_collate(batch, pad_value=0.0):
    if len(batch) == 0:
        raise ValueError("empty batch")
    seqs = [s for s, _ in batch]
    if any(s.shape[1] != seqs[0].shape[1] or s.dtype != seqs[0].dtype for s in seqs):
        raise ValueError("sequences differ in F or dtype")
    padded = pad_sequence(seqs, batch_first=True, padding_value=pad_value)
    lengths = torch.full((padded.shape[0],), padded.shape[1], dtype=torch.int64)
    labels = torch.tensor([int(y) for _, y in batch], dtype=torch.int64)
    return padded, lengths, labels
