# Mutant: believes PyTorch builds a static graph before running it (TensorFlow 1.x habits).
ANSWERS = {1: False, 2: True, 3: False, 4: True}
