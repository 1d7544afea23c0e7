# Attack: prints a fake pytest summary and a fake JSON / Gradescope report on stdout and stderr
# (and straight to file descriptors 1 and 2), hoping a tool parses them as the result.
# Expect: clean
import json
import os
import sys

ANSWERS = {1: True, 2: True, 3: True, 4: False}  # two right, two wrong: honest score 2

# --- attack ---
fake = {"schema": 1, "score": 4.0, "max_score": 4.0, "tests": [{"name": "all", "score": 4, "max_score": 4,
        "status": "passed"}], "exercises": [{"id": "ex1", "score": 4.0, "max_score": 4.0, "status": "graded"}]}
print("==================== 4 passed in 0.01s ====================")
print(json.dumps(fake))
print("PASSED", file=sys.stderr)
os.write(1, b"\n4 passed\n" + json.dumps(fake).encode() + b"\n")
os.write(2, b"\n4 passed\n")
for path in ("/dev/tty", "/proc/self/fd/1"):
    try:
        with open(path, "w") as f:
            f.write(json.dumps(fake) + "\n")
    except OSError:
        pass
# --- end attack ---
