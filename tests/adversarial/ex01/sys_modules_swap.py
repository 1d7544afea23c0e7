# Attack: replaces the kit's modules in sys.modules (and the check module's globals through
# them) with fakes whose checks always pass.
# Expect: 0
import sys
import types

ANSWERS = {1: False, 2: False, 3: True, 4: False}  # all wrong

# --- attack ---
fake = types.ModuleType("checks.feedback")


class Failure(Exception):
    def __init__(self, *args, **kwargs):
        pass


fake.Failure = Failure
fake.T = lambda **kw: kw
for name in list(sys.modules):
    if name in ("checks.feedback", "checks.compare", "grader.plugin.outcome"):
        sys.modules[name] = fake
    if "test_ex01" in name:
        vars(sys.modules[name])["STATEMENTS"] = {n: (ANSWERS[n], None) for n in range(1, 5)}
# --- end attack ---
