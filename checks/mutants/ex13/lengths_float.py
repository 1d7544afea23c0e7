# Mutant: lengths come back as a float tensor (torch.Tensor(list) is float32), not int64.
import torch
from torch.nn.utils.rnn import pad_sequence


def pad_collate(batch, pad_value=0.0):
    if len(batch) == 0:
        raise ValueError("empty batch")
    seqs = [s for s, _ in batch]
    if any(s.shape[1] != seqs[0].shape[1] or s.dtype != seqs[0].dtype for s in seqs):
        raise ValueError("sequences differ in F or dtype")
    padded = pad_sequence(seqs, batch_first=True, padding_value=pad_value)
    lengths = torch.Tensor([len(s) for s in seqs])
    labels = torch.tensor([int(y) for _, y in batch], dtype=torch.int64)
    return padded, lengths, labels
