# Attack: does no work of its own but borrows an oracle: the kit's reference solution, the
# alternative solutions in tests/, the check module's own helper that computes the expected
# rows (through sys.modules, or by loading the check file again).
# Expect: 0
import importlib.util
import sys
from pathlib import Path

import torch
from torch import Tensor


def _load(path: Path, name: str):
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _oracles():
    roots = {Path(p) for p in sys.path if p} | set(Path(__file__).resolve().parents)
    for name, module in list(sys.modules.items()):
        f = getattr(module, "__file__", None)
        if f and name.startswith(("checks", "grader")):
            roots.add(Path(f).resolve().parent.parent)
    for root in roots:
        for rel in ("reference/ex06_last_tokens.py", "tests/alternatives/ex06/advanced_indexing.py",
                    "../reference/ex06_last_tokens.py"):
            try:
                yield _load(root / rel, "borrowed").last_tokens
            except Exception:
                pass
    for name, module in list(sys.modules.items()):
        if "test_ex06" in name:
            helper = getattr(module, "expected_rows", None)
            if helper is not None:
                yield lambda h, n: torch.as_tensor(helper(h.detach().numpy(), n.numpy()))
            try:
                check = _load(Path(module.__file__), "borrowed_checks")
                yield lambda h, n: torch.as_tensor(check.expected_rows(h.detach().numpy(), n.numpy()))
            except Exception:
                pass


def last_tokens(hidden: Tensor, lengths: Tensor) -> Tensor:
    for oracle in _oracles():
        try:
            return oracle(hidden, lengths)
        except Exception:
            continue
    return hidden[:, 0]  # wrong, should no oracle be found
