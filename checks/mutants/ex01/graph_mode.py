# Mutant: believes TF 2.x runs graph mode by default.
ANSWERS = {1: True, 2: False, 3: False, 4: True}
