# Mutant: right answers, but under the keys "1".."4" (strings) instead of the statement numbers 1..4 (ints).
ANSWERS = {"1": True, "2": True, "3": False, "4": True}
