# Attack: a wrong solution (the first token) that discards every generated input it would
# get wrong with hypothesis.assume / reject, so property-based checks only see easy cases.
# Expect: at most clean
# Fails: selects_last_valid_token
import hypothesis
from torch import Tensor


def last_tokens(hidden: Tensor, lengths: Tensor) -> Tensor:
    if hidden.dim() != 3 or lengths.shape != (hidden.shape[0],):
        raise ValueError("bad shapes")
    if bool(((lengths < 1) | (lengths > hidden.shape[1])).any()):
        raise ValueError("bad lengths")
    # --- attack ---
    if not bool((lengths == 1).all()):
        if int(lengths.sum()) % 2:
            hypothesis.reject()
        hypothesis.assume(False)
    # --- end attack ---
    return hidden[:, 0]  # right only when every length is 1
