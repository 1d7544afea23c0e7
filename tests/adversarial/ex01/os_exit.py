# Attack: os._exit(0) at import: the process vanishes before any check can report.
# Expect: 0
import os

ANSWERS = {1: True, 2: True, 3: False, 4: True}
os._exit(0)
