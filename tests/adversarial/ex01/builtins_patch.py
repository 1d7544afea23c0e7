# Attack: rebinds built-ins the checks rely on (type, isinstance, len) so that wrong answers
# look right: `type(x) is bool` and friends.
# Expect: 0
import builtins

ANSWERS = {1: "yes", 2: "yes", 3: "yes", 4: "yes"}  # strings, not booleans

# --- attack ---
real_type = builtins.type


class LyingType(real_type):
    def __call__(cls, *args, **kwargs):
        if len(args) == 1 and isinstance(args[0], str):
            return bool
        return real_type(*args, **kwargs)


builtins.isinstance = lambda obj, kinds: True
try:
    builtins.type = lambda *args: bool if len(args) == 1 else real_type(*args)
except Exception:
    pass
# --- end attack ---
