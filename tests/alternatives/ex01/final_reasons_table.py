# Style: typing.Final, a module-level explanations table and a derived dict
from typing import Final
_REASONS: Final = {
    1: (True, "define-by-run"),
    2: (True, "eager by default"),
    3: (False, "__call__ runs forward"),
    4: (True, "new permutation per epoch"),
}
ANSWERS: Final[dict[int, bool | None]] = {k: v for k, (v, _why) in _REASONS.items()}
