# Attack: floods stdout and stderr (hundreds of MB) to fill the disk or the grader's memory;
# the grader's file-size limit stops it, the error is swallowed and the answers count.
# Expect: clean
import sys

ANSWERS = {1: True, 2: True, 3: True, 4: False}  # honest score 2

# --- attack ---
line = "10 passed " * 1000 + "\n"
try:
    for _ in range(50_000):  # 500 MB per stream if nothing stops it
        sys.stdout.write(line)
        sys.stderr.write(line)
except OSError:
    pass
# --- end attack ---
