"""The private kit's compiled modules: the worker imports bytecode instead of compiling the
kit again on every run.

Runs in the host. The worker imports the kit from a private copy of its sources
(`host._copy_kit`), where nothing has ever been compiled: it compiled grader/ and the
check modules on every run (~25 ms in the worker, ~20 ms more per exercise process for the
check module, all of it before the first check). The host keeps one cache of
*checked-hash* .pyc files (PEP 552) in the kit's `.grade/bytecode/<tag>/` (a cache, not
the learner's progress: it stays there when `GRADE_STATE_DIR` moves that), and puts them
beside the copied sources:

    install(private_kit)   # before the worker starts: cached .pyc files into __pycache__/
    refresh(private_kit)   # while it imports the frameworks: compile what was missing or stale

A checked-hash .pyc carries the hash of the source it was compiled from, and Python
checks it against the source on every import: a stale entry is ignored (the module is
compiled from its source, as before), never run. Trust: the cache is under the kit, which
the checks may not write (read-only mounts, or the guard's audit hook), like the
`__pycache__` folders of grader/ that the host itself imports from; it adds no way in
that was not there.
"""

from __future__ import annotations

import importlib.util
import py_compile
import shutil
import sys
from pathlib import Path

from grader.catalog import KIT_ROOT

_SKIPPED = ("mutants",)  # never imported by a worker (and never copied into its kit)


def cache_dir() -> Path:
    return KIT_ROOT / ".grade" / "bytecode" / (sys.implementation.cache_tag or "none")


def _sources(kit: Path) -> list[Path]:
    """Every module of the private kit (`host.KIT_PARTS` and `KIT_FILES`: what was copied)."""
    return [path for path in sorted(kit.rglob("*.py"))
            if not any(skip in path.relative_to(kit).parts for skip in _SKIPPED)]


def install(kit: Path, cache: Path | None = None) -> int:
    """Copy every cached .pyc whose source is in `kit` to where the import system looks for
    it; how many were copied. Whether each still matches its source is checked on import."""
    cache, copied = cache or cache_dir(), 0
    for cached in sorted(cache.rglob("*.pyc")):
        source = kit / cached.relative_to(cache).with_suffix(".py")
        if source.is_file():
            target = Path(importlib.util.cache_from_source(str(source)))
            target.parent.mkdir(exist_ok=True)
            shutil.copyfile(cached, target)
            copied += 1
    return copied


def refresh(kit: Path, cache: Path | None = None) -> int:
    """Compile into the cache every source of `kit` whose entry is missing or was compiled
    from other source; how many were compiled. Never raises: the cache only saves time."""
    cache, compiled = cache or cache_dir(), 0
    for source in _sources(kit):
        cached = cache / source.relative_to(kit).with_suffix(".pyc")
        try:
            data = source.read_bytes()
            if _matches(cached, data):
                continue
            cached.parent.mkdir(parents=True, exist_ok=True)
            py_compile.compile(str(source), cfile=str(cached), doraise=True,
                               invalidation_mode=py_compile.PycInvalidationMode.CHECKED_HASH)
            compiled += 1
        except (OSError, py_compile.PyCompileError, ValueError):
            continue
    return compiled


def _matches(cached: Path, source: bytes) -> bool:
    """Whether `cached` is a checked-hash .pyc of exactly `source` for this Python."""
    try:
        with open(cached, "rb") as f:
            header = f.read(16)
    except OSError:
        return False
    return (len(header) == 16 and header[:4] == importlib.util.MAGIC_NUMBER
            and int.from_bytes(header[4:8], "little") == 0b11  # hash-based, checked
            and header[8:16] == importlib.util.source_hash(source))

