"""The private kit's bytecode cache (grader/isolation/bytecode.py): it only ever saves
compiling, and an entry that does not match its source is never run."""

import importlib.util
import os
import subprocess
import sys
from pathlib import Path

from grader.isolation import bytecode


def _kit(root: Path, value: str) -> Path:
    (root / "grader").mkdir(parents=True)
    (root / "checks" / "mutants").mkdir(parents=True)
    (root / "grader" / "__init__.py").write_text("")
    (root / "grader" / "answer.py").write_text(f"VALUE = {value!r}\n")
    (root / "checks" / "mutants" / "never.py").write_text("raise SystemExit\n")
    return root


def _imported_value(kit: Path) -> str:
    env = {**os.environ, "PYTHONPATH": str(kit), "PYTHONDONTWRITEBYTECODE": "1"}
    out = subprocess.run([sys.executable, "-c", "import grader.answer as a; print(a.VALUE)"],
                         cwd=kit, env=env, capture_output=True, text=True, check=True)
    return out.stdout.strip()


def test_refresh_compiles_what_is_missing_or_changed_and_nothing_else(tmp_path: Path) -> None:
    kit, cache = _kit(tmp_path / "kit", "one"), tmp_path / "cache"
    assert bytecode.refresh(kit, cache) == 2  # grader/__init__.py, grader/answer.py; never the mutants
    assert bytecode.refresh(kit, cache) == 0
    (kit / "grader" / "answer.py").write_text("VALUE = 'two'\n")
    assert bytecode.refresh(kit, cache) == 1


def test_installed_bytecode_is_what_the_import_finds(tmp_path: Path) -> None:
    source_kit, cache = _kit(tmp_path / "a", "same"), tmp_path / "cache"
    bytecode.refresh(source_kit, cache)
    kit = _kit(tmp_path / "b", "same")
    assert bytecode.install(kit, cache) == 2
    pyc = Path(importlib.util.cache_from_source(str(kit / "grader" / "answer.py")))
    assert pyc.read_bytes() == (cache / "grader" / "answer.pyc").read_bytes()
    assert _imported_value(kit) == "same"


def test_an_entry_compiled_from_other_source_is_never_run(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    bytecode.refresh(_kit(tmp_path / "old", "stale"), cache)
    kit = _kit(tmp_path / "new", "fresh")
    bytecode.install(kit, cache)
    assert _imported_value(kit) == "fresh"  # the hash in the .pyc is checked against the source
