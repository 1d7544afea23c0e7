# Mutant: answers with strings instead of booleans.
ANSWERS = {1: "True", 2: "True", 3: "False", 4: "True"}
