# Attack: reads the reference solution and the check module through the stdlib's source-line
# readers (linecache, inspect.getsource, a hand-made traceback.FrameSummary), which open files
# on behalf of tracebacks and warnings, then runs that source to get the answer.
# Expect: 0
import inspect
import linecache
import sys
import traceback
from pathlib import Path

from torch import Tensor


def _roots():
    roots = set(Path(__file__).resolve().parents)
    for name, module in list(sys.modules.items()):
        f = getattr(module, "__file__", None)
        if f and name.startswith(("checks", "grader")):
            roots.add(Path(f).resolve().parent.parent)
    return roots


def _sources():
    for root in _roots():
        for rel in ("reference/ex06_last_tokens.py", "checks/test_ex06_last_tokens.py"):
            path = str(root / rel)
            yield lambda: "".join(linecache.getlines(path))
            yield lambda: "".join(traceback.FrameSummary(path, i, "f").line + "\n" for i in range(1, 400))
    for name, module in list(sys.modules.items()):
        if "test_ex06" in name:
            yield lambda: inspect.getsource(module)


def last_tokens(hidden: Tensor, lengths: Tensor) -> Tensor:
    for read in _sources():
        try:
            source = read()
            if "def " not in source:
                continue
            namespace = {"__name__": "borrowed"}
            exec(compile(source, "<borrowed>", "exec"), namespace)
            if "last_tokens" in namespace:
                return namespace["last_tokens"](hidden, lengths)
            if "expected_rows" in namespace:
                import torch
                return torch.as_tensor(namespace["expected_rows"](hidden.detach().numpy(), lengths.numpy()))
        except Exception:
            continue
    raise NotImplementedError("no source was readable")
