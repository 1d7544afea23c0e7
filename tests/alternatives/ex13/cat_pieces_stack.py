# Style: each row is the sequence cat'ed with a new_full block of padding, then the rows are stacked; an explicit loop with early returns on errors.
import torch


def pad_collate(batch, pad_value=0.0):
    if len(batch) < 1:
        raise ValueError("batch is empty")
    reference = batch[0][0]
    for sequence, _ in batch:
        if sequence.size(1) != reference.size(1):
            raise ValueError("feature sizes differ")
        if sequence.dtype is not reference.dtype:
            raise ValueError("dtypes differ")
    longest = max(sequence.size(0) for sequence, _ in batch)
    rows = []
    for sequence, _ in batch:
        missing = longest - sequence.size(0)
        block = sequence.new_full((missing, sequence.size(1)), pad_value)
        rows.append(torch.cat((sequence, block), dim=0))
    padded = torch.stack(rows, dim=0)
    lengths = torch.LongTensor([sequence.size(0) for sequence, _ in batch])
    labels = torch.LongTensor([label.item() if torch.is_tensor(label) else label for _, label in batch])
    return padded, lengths, labels
