# Mutant: always pads with zeros (pad_sequence's default), ignoring pad_value.
import torch
from torch.nn.utils.rnn import pad_sequence


def pad_collate(batch, pad_value=0.0):
    if len(batch) == 0:
        raise ValueError("empty batch")
    seqs = [s for s, _ in batch]
    if any(s.shape[1] != seqs[0].shape[1] or s.dtype != seqs[0].dtype for s in seqs):
        raise ValueError("sequences differ in F or dtype")
    padded = pad_sequence(seqs, batch_first=True)
    lengths = torch.tensor([len(s) for s in seqs], dtype=torch.int64)
    labels = torch.tensor([int(y) for _, y in batch], dtype=torch.int64)
    return padded, lengths, labels
