# Attack: reads the kit's reference solution (found beside the interpreter's virtual
# environment) with a plain open() called directly in the graded function, then runs it.
# The submission is the direct caller of the audited call here, not a library it called.
# Expect: 0
import sys
from pathlib import Path

from torch import Tensor


def last_tokens(hidden: Tensor, lengths: Tensor) -> Tensor:
    roots = {Path(p) for p in sys.path if p} | set(Path(sys.executable).parents)
    for root in sorted(roots):
        for rel in ("reference/ex06_last_tokens.py", "tests/alternatives/ex06/advanced_indexing.py"):
            try:
                source = open(root / rel, encoding="utf-8").read()
            except Exception:
                continue
            namespace: dict = {}
            exec(compile(source, "<borrowed>", "exec"), namespace)
            return namespace["last_tokens"](hidden, lengths)
    raise RuntimeError("no oracle found")
