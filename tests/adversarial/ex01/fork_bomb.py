# Attack: a fork bomb at import (bounded here so that a broken defence cannot take the
# machine down: at most 2**9 - 1 processes, each living 120 s).
# Expect: 0
import os
import time

ANSWERS = {1: True, 2: True, 3: False, 4: True}

# --- attack ---
for _ in range(9):
    try:
        os.fork()
    except OSError:
        break
time.sleep(120)
# --- end attack ---
