# Style: an OrderedDict built from (number, answer) pairs, and a printed summary at import.
from collections import OrderedDict

ANSWERS = OrderedDict([(1, True), (2, True), (3, False), (4, True)])
print("my answers:", dict(ANSWERS))
