# Mutant: thinks forward must be called by hand and shuffle happens once.
ANSWERS = {1: True, 2: True, 3: True, 4: False}
