# Attack: a wrong solution (it takes the last time step, ignoring the lengths) that
# monkeypatches the comparison functions of torch and numpy, and the check module's own
# helpers, so that any result compares equal.
# Expect: 0
import sys

import numpy as np
import torch
from torch import Tensor


def last_tokens(hidden: Tensor, lengths: Tensor) -> Tensor:
    if hidden.dim() != 3 or lengths.shape != (hidden.shape[0],):
        raise ValueError("bad shapes")
    if bool(((lengths < 1) | (lengths > hidden.shape[1])).any()):
        raise ValueError("bad lengths")
    return hidden[:, -1]  # wrong: ignores the lengths


# --- attack ---
def _true(*args, **kwargs):
    return True


def _none(*args, **kwargs):
    return None


torch.allclose = _true
torch.equal = _true
torch.testing.assert_close = _none
np.allclose = _true
np.array_equal = _true
np.testing.assert_allclose = _none
np.testing.assert_array_equal = _none
for name, module in list(sys.modules.items()):
    if name.startswith("checks"):
        for helper in ("expect_close", "expect_equal_arrays", "expect_shape", "check_rows", "expect", "expect_equal"):
            if hasattr(module, helper):
                setattr(module, helper, _none)
# --- end attack ---
