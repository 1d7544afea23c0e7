# Mutant: validates only batch[0] against batch[1], so a third sequence with another F or dtype slips through.
import torch
from torch.nn.utils.rnn import pad_sequence


def pad_collate(batch, pad_value=0.0):
    if len(batch) == 0:
        raise ValueError("empty batch")
    seqs = [s for s, _ in batch]
    if len(seqs) > 1 and (seqs[0].shape[1] != seqs[1].shape[1] or seqs[0].dtype != seqs[1].dtype):
        raise ValueError("sequences differ in F or dtype")
    padded = pad_sequence(seqs, batch_first=True, padding_value=pad_value)
    lengths = torch.tensor([len(s) for s in seqs], dtype=torch.int64)
    labels = torch.tensor([int(y) for _, y in batch], dtype=torch.int64)
    return padded, lengths, labels
