# Style: loop over the time steps with torch.where (vectorised over the batch), a ValueError subclass, int() validation.
import torch

class LengthError(ValueError):
    pass

def last_tokens(hidden, lengths):
    B, T, F = hidden.shape
    last = lengths.long() - 1
    if int(last.min()) < 0 or int(last.max()) >= T:
        raise LengthError("bad lengths")
    out = torch.zeros_like(hidden[:, 0])
    for t in range(T):  # loop over time, vectorised over the batch
        out = torch.where((last == t).unsqueeze(1), hidden[:, t], out)
    return out
