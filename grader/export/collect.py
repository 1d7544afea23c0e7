"""Find a student's exercise files in what they handed in to Gradescope.

    found = collect(Path("/autograder/submission"), exercises, Path(tmp))

Gradescope puts the upload in /autograder/submission as it came: the files themselves, a
folder holding them, a zip of either, or (submitted from GitHub) the whole repository, where
the kit's own layout keeps them in `exercises/`. `collect` looks in all of those and copies
one file per exercise into a fresh folder, which is what gets graded:

1. unpack every `.zip` (bounded: no paths outside, at most MAX_UNZIPPED bytes, `.py` only);
2. list the `.py` files, skipping symlinks and the kit's folders that hold no student work
   (`reference/`, `checks/`, `tests/`, ... a repository forked from the kit has them);
3. per exercise, the file named exactly like the stub wins, the shallowest first (a
   browser's "ex03_normalized_dataset (1).py" is taken when no exact name is there);
4. copy it into `dest` under the stub's name.
"""

from __future__ import annotations

import os
import shutil
import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from grader.catalog import Exercise

SKIP_DIRS = {"reference", "checks", "tests", "mutants", "alternatives", "benchmarks", "grader", "__pycache__",
             "__MACOSX", "node_modules", "site-packages"}
MAX_UNZIPPED = 64 * 1024 * 1024
MAX_MEMBERS = 5000
UNZIPPED = ".unzipped"


@dataclass(frozen=True)
class Found:
    """Where an exercise's file came from (`shown`: as the student would name it), or None."""

    exercise: Exercise
    shown: str | None


def collect(submission: Path, exercises: list[Exercise], dest: Path) -> list[Found]:
    """Copy each exercise's file from `submission` into `dest`; say where each came from."""
    dest.mkdir(parents=True, exist_ok=True)
    scratch = dest / UNZIPPED
    candidates = _python_files(submission, submission)
    for i, archive in enumerate(_archives(submission)):
        target = scratch / str(i)
        _unzip(archive, target)
        prefix = f"{archive.relative_to(submission)}:"
        candidates += [(prefix + shown, path) for shown, path in _python_files(target, target)]
    found = []
    for ex in exercises:
        best = _best(ex, candidates)
        if best is not None:
            shutil.copyfile(best[1], dest / ex.filename)
        found.append(Found(ex, best[0] if best else None))
    shutil.rmtree(scratch, ignore_errors=True)
    return found


def _best(ex: Exercise, candidates: list[tuple[str, Path]]) -> tuple[str, Path] | None:
    def rank(item: tuple[str, Path]) -> tuple[int, int, str]:
        parts = PurePosixPath(item[0].replace(":", "/")).parts
        return (0 if parts[-2:-1] == ("exercises",) else 1, len(parts), item[0])

    exact = [c for c in candidates if c[1].name == ex.filename]
    loose = [c for c in candidates if c[1].stem.startswith(ex.stem) and c[1].stem[len(ex.stem):][:1] in (" ", "-", "(")]
    for group in (exact, loose):
        if group:
            return min(group, key=rank)
    return None


def _python_files(top: Path, base: Path) -> list[tuple[str, Path]]:
    out = []
    if not top.is_dir():
        return out
    for dirpath, dirnames, filenames in os.walk(top, followlinks=False):
        dirnames[:] = sorted(d for d in dirnames if d not in SKIP_DIRS and not d.startswith((".", "venv")))
        for name in sorted(filenames):
            path = Path(dirpath) / name
            if name.endswith(".py") and not path.is_symlink() and path.is_file():
                out.append((str(path.relative_to(base)), path))
    return out


def _archives(top: Path) -> list[Path]:
    if not top.is_dir():
        return []
    return sorted(p for p in top.rglob("*.zip") if p.is_file() and not p.is_symlink()
                  and not SKIP_DIRS & set(p.relative_to(top).parts[:-1]))


def _unzip(archive: Path, target: Path) -> None:
    """The archive's `.py` members as plain files under `target`; a damaged or oversized
    archive contributes what fits (never a path outside `target`, never a link)."""
    try:
        with zipfile.ZipFile(archive) as zf:
            budget = MAX_UNZIPPED
            for info in zf.infolist()[:MAX_MEMBERS]:
                name = PurePosixPath(info.filename)
                if info.is_dir() or name.suffix != ".py" or name.is_absolute() or ".." in name.parts:
                    continue
                if info.file_size > budget or (info.external_attr >> 16) & 0o170000 == 0o120000:
                    continue  # too large for what is left, or a symlink
                budget -= info.file_size
                out = target.joinpath(*name.parts)
                out.parent.mkdir(parents=True, exist_ok=True)
                out.write_bytes(zf.read(info)[: info.file_size])
    except (zipfile.BadZipFile, OSError, ValueError, NotImplementedError):
        return
