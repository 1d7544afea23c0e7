"""`grade export gradescope`: the zip Gradescope's "Configure Autograder" page takes.

    grade export gradescope --exercise ex3 --exercise ex5 --output autograder.zip --lang ja

The zip holds, at its root (Gradescope unzips it into /autograder/source):

    setup.sh, run_autograder     Gradescope's two entry points (grader/export/files/)
    autograder.json              this assignment's settings (grader/export/settings.py)
    requirements-torch.txt       torch, pinned from constraints.txt, from the CPU-only index
    requirements.txt             the rest, pinned; TensorFlow and Keras only when an exercise needs them
    grader/, checks/, exercises/, conftest.py, pyproject.toml, constraints.txt
                                 the kit: only this assignment's checks, metadata and stubs;
                                 no mutants, no tests, no reference unless --include-solutions

Built the same way twice, the zip is byte-identical (sorted entries, fixed dates).
"""

from __future__ import annotations

import io
import json
import re
import tomllib
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

from grader import catalog
from grader.export.settings import SETTINGS_FILE, AutograderSettings

FILES = Path(__file__).resolve().parent / "files"
EXECUTABLE = ("setup.sh", "run_autograder")
KIT_FILES = ("conftest.py", "pyproject.toml", "constraints.txt")
NEVER = {"__pycache__", "mutants", ".pytest_cache", ".hypothesis"}
GRADER_SKIP = {"templates"}  # grader/templates: the scaffold's, with mutant templates
TENSORFLOW = {"tensorflow-cpu", "tensorflow", "keras"}
# Exercises whose submissions may import TensorFlow: Keras exercises, and framework-free ones
# (ex1 asks about both frameworks; an answer may be checked against them).
NEEDS_TENSORFLOW = {"keras", "both", "none"}
ZIP_DATE = (2020, 1, 1, 0, 0, 0)


@dataclass(frozen=True)
class Bundle:
    path: Path
    entries: tuple[str, ...]
    settings: AutograderSettings
    tensorflow: bool


def build(settings: AutograderSettings, output: Path, root: Path = catalog.KIT_ROOT) -> Bundle:
    """Write the autograder zip for `settings` to `output`."""
    exercises = [catalog.resolve(e, root) for e in settings.exercises]
    tensorflow = any(ex.framework in NEEDS_TENSORFLOW for ex in exercises)
    torch_req, other_req = requirements(root, tensorflow)
    generated = {
        SETTINGS_FILE: json.dumps(settings.to_dict(), ensure_ascii=False, indent=2) + "\n",
        "requirements-torch.txt": torch_req,
        "requirements.txt": other_req,
        "setup.sh": (FILES / "setup.sh").read_text(encoding="utf-8"),
        "run_autograder": (FILES / "run_autograder").read_text(encoding="utf-8"),
    }
    entries: dict[str, bytes] = {name: text.encode("utf-8") for name, text in generated.items()}
    for arcname, path in kit_files(exercises, settings.solutions, root):
        entries[arcname] = path.read_bytes()
    output.parent.mkdir(parents=True, exist_ok=True)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
        for name in sorted(entries):
            info = zipfile.ZipInfo(name, ZIP_DATE)
            info.external_attr = (0o755 if name in EXECUTABLE else 0o644) << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            zf.writestr(info, entries[name])
    output.write_bytes(buffer.getvalue())
    return Bundle(output, tuple(sorted(entries)), settings, tensorflow)


def kit_files(exercises: list[catalog.Exercise], solutions: bool, root: Path) -> Iterator[tuple[str, Path]]:
    """(name in the zip, file) for the part of the kit that grades `exercises`."""
    stems = {ex.stem for ex in exercises}
    for path in _walk(root / "grader"):
        rel = path.relative_to(root)
        if not GRADER_SKIP & set(rel.parts[1:2]):
            yield str(rel), path
    for path in _walk(root / "checks"):
        rel = path.relative_to(root)
        if _exercise_stem(path.name) in (None, *stems):  # helpers, and this assignment's checks
            yield str(rel), path
    for ex in exercises:
        yield f"exercises/{ex.filename}", ex.stub_path
        if solutions and ex.reference_path.is_file():
            yield f"reference/{ex.filename}", ex.reference_path
    for name in KIT_FILES:
        if (root / name).is_file():
            yield name, root / name


def _walk(folder: Path) -> Iterator[Path]:
    for path in sorted(folder.rglob("*")):
        rel = path.relative_to(folder)
        if path.is_file() and not NEVER & set(rel.parts) and path.suffix != ".pyc":
            yield path


_EXERCISE_FILE = re.compile(r"^(?:test_)?(ex\d+_[a-z0-9_]+)\.(?:py|toml)$")


def _exercise_stem(name: str) -> str | None:
    """The exercise a file of checks/ belongs to ('test_ex03_x.py' -> 'ex03_x'); None for helpers."""
    m = _EXERCISE_FILE.match(name)
    return m.group(1) if m else None


def requirements(root: Path, tensorflow: bool) -> tuple[str, str]:
    """(requirements-torch.txt, requirements.txt): the kit's runtime dependencies, each pinned to
    the version in constraints.txt; torch apart (it comes from the CPU-only index)."""
    pins = _pins(root / "constraints.txt")
    with open(root / "pyproject.toml", "rb") as f:
        dependencies = tomllib.load(f)["project"]["dependencies"]
    torch_lines, other = [], []
    for spec in dependencies:
        requirement, _, marker = spec.partition(";")
        if marker and "!= 'linux'" in marker.replace('"', "'"):
            continue  # Gradescope's images are Linux
        name = re.match(r"[A-Za-z0-9_.\-]+", requirement.strip()).group(0).lower()  # type: ignore[union-attr]
        if name in TENSORFLOW and not tensorflow:
            continue
        line = f"{name}=={pins[name]}" if name in pins else requirement.strip()
        (torch_lines if name == "torch" else other).append(line)
    if tensorflow and "keras" in pins:
        other.append(f"keras=={pins['keras']}")
    head = "# generated by grade export gradescope from pyproject.toml and constraints.txt\n"
    return head + "\n".join(torch_lines) + "\n", head + "\n".join(other) + "\n"


def _pins(constraints: Path) -> dict[str, str]:
    pins = {}
    for line in constraints.read_text(encoding="utf-8").splitlines():
        m = re.match(r"^\s*([A-Za-z0-9_.\-]+)\s*==\s*([^\s#;]+)", line)
        if m:
            pins[m.group(1).lower()] = m.group(2)
    return pins
