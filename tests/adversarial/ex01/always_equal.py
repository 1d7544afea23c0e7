# Attack: answers that compare equal to anything (True and False alike) and are truthy.
# Expect: 0


class Yes:
    def __eq__(self, other):
        return True

    def __ne__(self, other):
        return False

    def __bool__(self):
        return True

    def __hash__(self):
        return 0


ANSWERS = {1: Yes(), 2: Yes(), 3: Yes(), 4: Yes()}
