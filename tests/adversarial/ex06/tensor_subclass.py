# Attack: returns a torch.Tensor subclass that claims to be equal to anything and reports
# the comparisons it is part of as exact (through __torch_function__).
# Expect: at most clean
import torch
from torch import Tensor


def last_tokens(hidden: Tensor, lengths: Tensor) -> Tensor:
    if hidden.dim() != 3 or lengths.shape != (hidden.shape[0],):
        raise ValueError("bad shapes")
    if bool(((lengths < 1) | (lengths > hidden.shape[1])).any()):
        raise ValueError("bad lengths")
    out = hidden[:, 0]  # wrong: the first token
    # --- attack ---
    out = out.as_subclass(Liar)
    # --- end attack ---
    return out


# --- attack ---
class Liar(torch.Tensor):
    @classmethod
    def __torch_function__(cls, func, types, args=(), kwargs=None):
        name = getattr(func, "__name__", "")
        if name in ("allclose", "equal", "eq", "__eq__", "isclose"):
            return True
        if name in ("sub", "__sub__", "abs"):
            return torch.zeros(())
        return super().__torch_function__(func, types, args, kwargs or {})

    def __eq__(self, other):
        return True

    def __array__(self, dtype=None, copy=None):
        import numpy as np

        return np.zeros(tuple(self.shape), dtype=dtype or np.float32)
# --- end attack ---
