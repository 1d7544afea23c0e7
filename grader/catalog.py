"""Exercise discovery by convention: no central list to edit.

An exercise `exNN_slug` is the set of files that share its stem:

    exercises/exNN_slug.py          the stub the student edits
    checks/test_exNN_slug.py        the pytest check module
    checks/exNN_slug.toml           metadata: title, difficulty, framework, seed, hints (ja/en)
    reference/exNN_slug.py          the reference solution
    checks/mutants/exNN/*.py        complete wrong solutions, one mistake each

Discovery reads TOML only (stdlib `tomllib`), never imports torch or TensorFlow, so
`grade list` stays fast.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from grader.i18n import T

KIT_ROOT = Path(__file__).resolve().parent.parent
_STEM = re.compile(r"^ex(\d+)_([a-z0-9_]+)$")

FRAMEWORKS = ("none", "torch", "keras", "both")
DIFFICULTIES = ("easy", "medium", "hard")


class MetadataError(ValueError):
    """An exercise's toml holds a field the kit cannot use; names the file and the field."""

    def __init__(self, path: Path, field_name: str, problem: str):
        super().__init__(f"{path}: [{field_name}] {problem}")
        self.path = path
        self.field = field_name


class UnknownExercise(LookupError):
    def __init__(self, query: str, known: list[str]):
        super().__init__(query)
        self.query = query
        self.known = known


@dataclass(frozen=True)
class Exercise:
    number: int
    slug: str
    root: Path = field(default=KIT_ROOT, compare=False)

    @property
    def id(self) -> str:
        return f"ex{self.number}"

    @property
    def stem(self) -> str:
        return f"ex{self.number:02d}_{self.slug}"

    @property
    def filename(self) -> str:
        return f"{self.stem}.py"

    @property
    def stub_path(self) -> Path:
        return self.root / "exercises" / self.filename

    @property
    def check_path(self) -> Path:
        return self.root / "checks" / f"test_{self.stem}.py"

    @property
    def meta_path(self) -> Path:
        return self.root / "checks" / f"{self.stem}.toml"

    @property
    def reference_path(self) -> Path:
        return self.root / "reference" / self.filename

    @property
    def mutants_dir(self) -> Path:
        return self.root / "checks" / "mutants" / f"ex{self.number:02d}"

    def mutants(self) -> list[Path]:
        return sorted(p for p in self.mutants_dir.glob("*.py") if not p.name.startswith("_"))

    @cached_property
    def meta(self) -> dict:
        with open(self.meta_path, "rb") as f:
            return tomllib.load(f)

    @property
    def title(self) -> T:
        return T.from_dict(self.meta["title"])

    @property
    def difficulty(self) -> str:
        return self.meta.get("difficulty", "medium")

    @property
    def framework(self) -> str:
        """Which frameworks grading needs: decides what the worker imports before forking."""
        return self.meta.get("framework", "torch")

    @property
    def hints(self) -> list[T]:
        return [T.from_dict(h) for h in self.meta.get("hints", [])]

    @property
    def seed(self) -> str:
        return self.meta.get("seed", "")

    @property
    def idle_checks(self) -> dict[str, str]:
        """`[idle_checks]`: check name -> the one-line reason no mutant fails it (verify)."""
        table = self.meta.get("idle_checks", {})
        bad = [k for k, v in table.items() if not isinstance(v, str) or not v.strip()] \
            if isinstance(table, dict) else ["(not a table)"]
        if bad:
            raise MetadataError(self.meta_path, "idle_checks", f"each entry needs a one-line reason: {bad}")
        return dict(table)

    @property
    def check_timeout(self) -> float:
        """Per-check wall-clock limit (seconds); a Keras `fit` needs more than a tensor op."""
        return float(self.meta.get("check_timeout", 60))


def discover(root: Path = KIT_ROOT) -> list[Exercise]:
    """Every exercise that has metadata beside a check module, ordered by number."""
    found: list[Exercise] = []
    for meta in (root / "checks").glob("ex*.toml"):
        m = _STEM.match(meta.stem)
        if m and (root / "checks" / f"test_{meta.stem}.py").exists():
            found.append(Exercise(int(m.group(1)), m.group(2), root))
    return sorted(found, key=lambda e: e.number)


def resolve(query: str, root: Path = KIT_ROOT) -> Exercise:
    """`ex3`, `3`, `ex03`, `normalized_dataset`, `ex03_normalized_dataset` or a file path."""
    exercises = discover(root)
    q = Path(query).stem.lower().removeprefix("test_") if query.endswith(".py") else query.lower()
    q = q.replace("-", "_")
    for ex in exercises:
        number_forms = {str(ex.number), f"ex{ex.number}", f"ex{ex.number:02d}", f"{ex.number:02d}"}
        if q in number_forms or q in (ex.slug, ex.stem):
            return ex
    raise UnknownExercise(query, [e.id for e in exercises])
