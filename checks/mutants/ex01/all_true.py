# Mutant: believes every statement.
ANSWERS = {1: True, 2: True, 3: True, 4: True}
