# Mutant: the right answers in order, but numbered from 0 (0..3) instead of by statement (1..4).
ANSWERS = {0: True, 1: True, 2: False, 3: True}
