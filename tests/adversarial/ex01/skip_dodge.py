# Attack: turns the check's own failures into skips (a skip leaves the maximum, so 0/0
# would read as "all passed"): replaces the check module's Failure class with a pytest
# skip exception, and skips outright when the answers are read.
# Expect: 0
import sys

import pytest

ANSWERS = {1: False, 2: False, 3: True, 4: False}  # all wrong

# --- attack ---
Skip = pytest.skip.Exception


class SkipFailure(Skip):
    def __init__(self, *args, **kwargs):
        super().__init__("not applicable on this machine", allow_module_level=True)


for name, module in list(sys.modules.items()):
    if "test_ex01" in name:
        module.Failure = SkipFailure
        module.__dict__["Failure"] = SkipFailure
# --- end attack ---
