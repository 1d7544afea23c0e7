# Mutant: answers with 1/0 instead of True/False.
ANSWERS = {1: 1, 2: 1, 3: 0, 4: 1}
