# Attack: the learner's function raises pytest's own outcomes -- skip (a skipped check leaves
# the maximum), xfail, fail, exit -- and unittest's SkipTest, KeyboardInterrupt and SystemExit,
# hoping the grader reads them as "not applicable" rather than a failure.
# Expect: 0
import sys
import unittest

import pytest
from torch import Tensor


def last_tokens(hidden: Tensor, lengths: Tensor) -> Tensor:
    # --- attack ---
    choice = (hidden.shape[0] + hidden.shape[1] + hidden.shape[2]) % 7
    if choice == 0:
        pytest.skip("no CUDA device (this check does not count toward the maximum)")
    if choice == 1:
        pytest.xfail("known issue")
    if choice == 2:
        raise unittest.SkipTest("not applicable")
    if choice == 3:
        pytest.exit("done", returncode=0)
    if choice == 4:
        raise KeyboardInterrupt
    if choice == 5:
        sys.exit(0)
    raise pytest.skip.Exception("skipped", allow_module_level=True)
    # --- end attack ---
