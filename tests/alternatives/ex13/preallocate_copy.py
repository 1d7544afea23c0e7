# Style: torch.empty with the sequences' dtype and device, fill_ the padding, then copy_ each sequence into its row; lengths as a list then one tensor call.
import torch


def pad_collate(batch, pad_value=0.0):
    if not len(batch):
        raise ValueError("no samples")
    first = batch[0][0]
    dims, types = set(), set()
    for seq, _ in batch:
        dims.add(seq.shape[-1])
        types.add(seq.dtype)
    if len(dims) != 1:
        raise ValueError("feature dimension differs")
    if len(types) != 1:
        raise ValueError("dtype differs")
    lengths = [seq.shape[0] for seq, _ in batch]
    out = torch.empty(len(batch), max(lengths), first.shape[-1], dtype=first.dtype, device=first.device)
    out.fill_(pad_value)
    for i, (seq, _) in enumerate(batch):
        out[i].narrow(0, 0, lengths[i]).copy_(seq)
    labels = []
    for _, label in batch:
        labels.append(int(label.item()) if isinstance(label, torch.Tensor) else int(label))
    return out, torch.tensor(lengths).to(torch.int64), torch.tensor(labels, dtype=torch.int64)
