"""`grade new exNN slug --framework torch|keras [--kind fix]`: an author's first five files.

Writes a tiny but complete exercise from `grader/templates/<framework>/` (a `kind = "fix"`
exercise, whose stub is a buggy listing that runs, from `grader/templates/fix/`): the stub, the
check module, the metadata, the reference and a mutants folder. As scaffolded it is
sound (`grade verify exNN` passes: reference full marks, stub 0, each mutant caught by
one check), so an author starts from something that works and replaces it piece by
piece; every `TODO(author)` marks what to write, and `grade verify` lists the markers
left. Existing files are never overwritten.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from grader import catalog
from grader.catalog import KIT_ROOT, Exercise

TEMPLATES = Path(__file__).resolve().parent / "templates"
SCAFFOLD_FRAMEWORKS = ("torch", "keras")
FIX_TEMPLATE_FRAMEWORK = "torch"  # the fix template is a torch listing
TODO_MARK = "TODO(author)"
_SLUG = re.compile(r"^[a-z][a-z0-9_]*$")
_NUMBER = re.compile(r"^(?:ex)?0*(\d{1,3})$")


class ScaffoldError(ValueError):
    """A bad number or slug, a number in use, or files that already exist."""

    def __init__(self, key: str, **kw: object) -> None:
        super().__init__(key)
        self.key = key
        self.kw = kw


@dataclass
class Scaffolded:
    exercise: Exercise
    files: list[Path]


def parse_number(text: str) -> int:
    m = _NUMBER.match(text.strip().lower())
    if not m or int(m.group(1)) < 1:
        raise ScaffoldError("bad_number", value=text)
    return int(m.group(1))


def new_exercise(number_text: str, slug: str, framework: str, root: Path = KIT_ROOT, kind: str = "exercise") -> Scaffolded:
    number = parse_number(number_text)
    slug = slug.strip().lower().replace("-", "_")
    if not _SLUG.match(slug):
        raise ScaffoldError("bad_slug", value=slug)
    if framework not in SCAFFOLD_FRAMEWORKS:
        raise ScaffoldError("bad_framework", value=framework)
    if kind not in catalog.KINDS:
        raise ScaffoldError("bad_kind", value=kind)
    if kind == "fix" and framework != FIX_TEMPLATE_FRAMEWORK:
        raise ScaffoldError("fix_framework", value=framework)
    taken = [e for e in catalog.discover(root) if e.number == number]
    if taken:
        raise ScaffoldError("taken", id=f"ex{number}", stem=taken[0].stem)
    ex = Exercise(number, slug, root)
    template = TEMPLATES / ("fix" if kind == "fix" else framework)
    plan: list[tuple[Path, Path]] = [
        (template / "stub.py.tmpl", ex.stub_path),
        (template / "check.py.tmpl", ex.check_path),
        (template / "meta.toml.tmpl", ex.meta_path),
        (template / "reference.py.tmpl", ex.reference_path),
    ]
    for mutant in sorted((template / "mutants").glob("*.py.tmpl")):
        plan.append((mutant, ex.mutants_dir / mutant.name.removesuffix(".tmpl")))
    existing = [dst for _, dst in plan if dst.exists()]
    if existing:
        raise ScaffoldError("exists", files=", ".join(str(p.relative_to(root)) for p in existing))
    values = {
        "__STEM__": ex.stem,
        "__ID__": ex.id,
        "__NUMBER__": str(number),
        "__SLUG__": slug,
        "__TITLE__": slug.replace("_", " "),
    }
    written = []
    for src, dst in plan:
        text = src.read_text(encoding="utf-8")
        for key, value in values.items():
            text = text.replace(key, value)
        dst.parent.mkdir(parents=True, exist_ok=True)
        dst.write_text(text, encoding="utf-8")
        written.append(dst)
    return Scaffolded(ex, written)


def todo_markers(ex: Exercise) -> list[str]:
    """The exercise's files that still contain `TODO(author)` (relative paths)."""
    paths = [ex.stub_path, ex.check_path, ex.meta_path, ex.reference_path, *ex.mutants()]
    left = []
    for path in paths:
        try:
            if TODO_MARK in path.read_text(encoding="utf-8"):
                left.append(str(path.relative_to(ex.root)))
        except (OSError, ValueError):
            continue
    return left


def missing_files(ex: Exercise) -> list[str]:
    """The exercise's files that do not exist (relative paths); mutants count as one."""
    missing = [str(p.relative_to(ex.root)) for p in (ex.stub_path, ex.reference_path) if not p.is_file()]
    if not ex.mutants():
        missing.append(str(ex.mutants_dir.relative_to(ex.root)) + "/*.py")
    return missing
