# Attack: calls sys.exit(0) at import, hoping an early, "successful" exit reads as a pass.
# Expect: 0
import sys

ANSWERS = {1: True, 2: True, 3: False, 4: True}  # all correct, but the file never finishes importing
sys.exit(0)
