# Mutant: believes shuffle=True shuffles only once.
ANSWERS = {1: True, 2: True, 3: False, 4: False}
