"""A scratch copy of the kit for tests that change exercises, checks or state.

The copy holds the engine (grader/, checks/*.py, conftest.py, pyproject.toml) and only the
exercises asked for, so `grade` run inside it (`python -m grader.cli`, cwd = the copy)
sees a small catalog, and nothing in the real kit is touched.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

KIT = Path(__file__).resolve().parent.parent


def make_kit(dest: Path, stems: tuple[str, ...] = ("ex01_true_or_false",)) -> Path:
    dest.mkdir(parents=True, exist_ok=True)
    shutil.copytree(KIT / "grader", dest / "grader", ignore=shutil.ignore_patterns("__pycache__"))
    (dest / "checks").mkdir()
    for path in (KIT / "checks").glob("*.py"):
        if not path.name.startswith("test_"):
            shutil.copy2(path, dest / "checks" / path.name)
    for name in ("conftest.py", "pyproject.toml"):
        shutil.copy2(KIT / name, dest / name)
    for folder in ("exercises", "reference"):
        (dest / folder).mkdir()
    for stem in stems:
        number = stem.split("_", 1)[0]
        for src in (f"checks/test_{stem}.py", f"checks/{stem}.toml", f"exercises/{stem}.py", f"reference/{stem}.py"):
            shutil.copy2(KIT / src, dest / src)
        if (KIT / "checks" / "mutants" / number).is_dir():
            shutil.copytree(KIT / "checks" / "mutants" / number, dest / "checks" / "mutants" / number)
    return dest


def clone_exercise(kit: Path, stem: str, new_stem: str) -> None:
    """A second exercise in the copy: `stem`'s files under a new number and slug."""
    for pattern in ("checks/test_{}.py", "checks/{}.toml", "exercises/{}.py", "reference/{}.py"):
        text = (kit / pattern.format(stem)).read_text(encoding="utf-8")
        (kit / pattern.format(new_stem)).write_text(text.replace(stem, new_stem), encoding="utf-8")


def grade_in(kit: Path, *args: str, env: dict[str, str] | None = None, timeout: float = 300,
             input: str | None = None) -> subprocess.CompletedProcess:
    """Run the copy's own `grade` (its grader package comes first on sys.path)."""
    full_env = {**os.environ, "GRADE_LANG": "en", "NO_COLOR": "1", **(env or {})}
    full_env.pop("PYTHONPATH", None)
    return subprocess.run([sys.executable, "-m", "grader.cli", *args], cwd=kit, env=full_env,
                          capture_output=True, text=True, timeout=timeout, input=input)


EX1_SOLVED = "ANSWERS = {1: True, 2: True, 3: False, 4: True}\n"
EX1_ONE_WRONG = "ANSWERS = {1: True, 2: True, 3: True, 4: True}\n"
