# Attack: an endless loop at import (the grader must still report, within its limits).
# Expect: 0
ANSWERS = {1: True, 2: True, 3: False, 4: True}

# --- attack ---
while True:
    pass
# --- end attack ---
