# Style: defaultdict with unanswered default, plus an extra unanswered key
from collections import defaultdict
ANSWERS = defaultdict(lambda: None)
ANSWERS.update({1: True, 2: True, 3: False, 4: True, 5: None})
