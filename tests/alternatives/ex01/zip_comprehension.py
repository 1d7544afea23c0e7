# Style: built from a list with zip and a dict comprehension
_STATEMENT_TRUTHS = [True, True, False, True]
ANSWERS: dict[int, bool | None] = {number: truth for number, truth in zip(range(1, 5), _STATEMENT_TRUTHS)}
