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

DEFAULT_CHECK_TIMEOUT = 60.0  # seconds per check, when the toml does not say
# A check's time budget once the reference is calibrated (`grade verify --calibrate`):
# BUDGET_FACTOR x the reference's slowest check, at least BUDGET_FLOOR_S, at most
# `check_timeout`. Generous on purpose: a correct solution in a slower style, on a loaded CI
# machine, must never run out of time; a hang is still cut in seconds, not minutes.
BUDGET_FACTOR = 10.0
BUDGET_FLOOR_S = 15.0
# The memory all of an exercise's processes may hold together (a cgroup, where one can be
# made): MEMORY_FACTOR x the calibrated reference's peak, at least MEMORY_FLOOR_MB (DataLoader
# workers, a larger batch), at most DEFAULT_EXERCISE_MEMORY_MB, which also applies uncalibrated.
MEMORY_FACTOR = 4.0
MEMORY_FLOOR_MB = 1024
DEFAULT_EXERCISE_MEMORY_MB = 2048

KIT_ROOT = Path(__file__).resolve().parent.parent
_STEM = re.compile(r"^ex(\d+)_([a-z0-9_]+)$")

FRAMEWORKS = ("none", "torch", "keras", "both")
# "exercise": the stub raises NotImplementedError and scores 0. "fix": the stub is code to
# repair (a textbook listing with its bugs); it runs, and scores above 0 but at most
# FIX_STUB_MAX_SHARE of the points, on what its bugs do not touch.
KINDS = ("exercise", "fix")
FIX_STUB_MAX_SHARE = 0.25
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
    def meta(self) -> "Metadata":
        return Metadata.load(self.meta_path)

    @property
    def title(self) -> T:
        return self.meta.title

    @property
    def difficulty(self) -> str:
        return self.meta.difficulty

    @property
    def is_fix(self) -> bool:
        """A find-the-bug exercise: its stub runs and scores a little ("not fixed yet")."""
        return self.meta.kind == "fix"

    @property
    def framework(self) -> str:
        """Which frameworks grading needs: decides what the worker imports before forking."""
        return self.meta.framework

    @property
    def hints(self) -> list[T]:
        return list(self.meta.hints)

    @property
    def seed(self) -> str:
        return self.meta.seed

    @property
    def textbook_adds(self) -> T | None:
        """What the exercise asks beyond the textbook's printed answer (said first when a
        learner's parameters are the textbook's)."""
        return self.meta.textbook_adds

    @property
    def check_timeout(self) -> float:
        """Per-check wall-clock limit (seconds); a Keras `fit` needs more than a tensor op."""
        return self.meta.check_timeout

    @property
    def idle_checks(self) -> dict[str, str]:
        """`[idle_checks]`: check name -> the one-line reason no mutant fails it (verify)."""
        return dict(self.meta.idle_checks)

    @property
    def memory_budget_mb(self) -> int:
        """MB the exercise's processes may hold together (see MEMORY_FACTOR)."""
        peak = self.meta.peak_mb
        if peak is None:
            return DEFAULT_EXERCISE_MEMORY_MB
        return int(min(DEFAULT_EXERCISE_MEMORY_MB, max(MEMORY_FLOOR_MB, MEMORY_FACTOR * peak)))

    @property
    def check_budget(self) -> float:
        """Seconds a check of this exercise may take: from the calibrated reference when there
        is one (see BUDGET_FACTOR), else `check_timeout`."""
        slowest = self.meta.slowest_check_s
        if slowest is None:
            return self.check_timeout
        return min(self.check_timeout, max(BUDGET_FLOOR_S, BUDGET_FACTOR * slowest))


@dataclass(frozen=True)
class Metadata:
    """An exercise's `.toml`, typed and checked when it is read: a bad field fails `grade
    list` and `grade verify` with the file and the field named, never later and obscurely.

        title = { ja = "…", en = "…" }      # required
        difficulty = "easy" | "medium" | "hard"
        framework = "none" | "torch" | "keras" | "both"
        kind = "exercise" | "fix"          # fix: the stub is buggy code that runs (see KINDS)
        seed = "000 第4章 演習問題 問題5"
        textbook_adds = { ja = "…", en = "…" }  # what it asks beyond the textbook's answer
        check_timeout = 60                 # seconds per check, > 0
        [[hints]]  ja = "…"  en = "…"
        [idle_checks]  check_name = "why no mutant fails it"
        [check_descriptions]  check_name = "短い説明"   # every check's, shown beside its name under --lang ja
        [calibration]  slowest_check_s = 1.2  peak_mb = 95.0   # by `grade verify --calibrate`
    """

    title: T
    difficulty: str = "medium"
    framework: str = "torch"
    kind: str = "exercise"
    seed: str = ""
    textbook_adds: T | None = None
    check_timeout: float = DEFAULT_CHECK_TIMEOUT
    hints: tuple[T, ...] = ()
    idle_checks: tuple[tuple[str, str], ...] = ()
    check_descriptions: tuple[tuple[str, str], ...] = ()  # check function (no test_) -> a short Japanese phrase
    slowest_check_s: float | None = None  # [calibration]: the reference's slowest check
    peak_mb: float | None = None  # [calibration]: the most memory the reference's processes held

    def description_ja(self, check_name: str) -> str | None:
        """The short Japanese phrase for a check, by its name as reports show it
        (`load_best_model_restores_the_best_weights[cpu]` reads the function's entry)."""
        return dict(self.check_descriptions).get(check_name.split("[", 1)[0])

    @classmethod
    def load(cls, path: Path) -> "Metadata":
        try:
            with open(path, "rb") as f:
                raw = tomllib.load(f)
        except tomllib.TOMLDecodeError as exc:
            raise MetadataError(path, "toml", str(exc)) from None
        unknown = sorted(set(raw) - _TOML_KEYS)
        if unknown:
            raise MetadataError(path, unknown[0], "is not a field an exercise's metadata has")
        return cls(
            title=_text(path, "title", raw.get("title")),
            difficulty=_choice(path, "difficulty", raw.get("difficulty", "medium"), DIFFICULTIES),
            framework=_choice(path, "framework", raw.get("framework", "torch"), FRAMEWORKS),
            kind=_choice(path, "kind", raw.get("kind", "exercise"), KINDS),
            seed=_string(path, "seed", raw.get("seed", "")),
            textbook_adds=_text(path, "textbook_adds", raw["textbook_adds"]) if "textbook_adds" in raw else None,
            check_timeout=_seconds(path, "check_timeout", raw.get("check_timeout", DEFAULT_CHECK_TIMEOUT)),
            hints=tuple(_text(path, f"hints[{i}]", h) for i, h in enumerate(_list(path, "hints", raw.get("hints", [])))),
            idle_checks=_reasons(path, raw.get("idle_checks", {})),
            check_descriptions=_phrases(path, raw.get("check_descriptions", {})),
            **_calibration(path, raw.get("calibration")),
        )


_TOML_KEYS = frozenset({"title", "difficulty", "framework", "kind", "seed", "textbook_adds", "check_timeout", "hints",
                        "idle_checks", "check_descriptions", "calibration"})


def _text(path: Path, name: str, value: object) -> T:
    if isinstance(value, dict) and all(isinstance(value.get(k), str) and value[k].strip() for k in ("ja", "en")):
        return T.from_dict(value)
    raise MetadataError(path, name, "needs both ja and en texts")


def _choice(path: Path, name: str, value: object, allowed: tuple[str, ...]) -> str:
    if value in allowed:
        return str(value)
    raise MetadataError(path, name, f"is {value!r}; one of {', '.join(allowed)}")


def _string(path: Path, name: str, value: object) -> str:
    if isinstance(value, str):
        return value
    raise MetadataError(path, name, "must be text")


def _seconds(path: Path, name: str, value: object) -> float:
    if isinstance(value, (int, float)) and not isinstance(value, bool) and value > 0:
        return float(value)
    raise MetadataError(path, name, f"is {value!r}; a number of seconds above 0")


def _list(path: Path, name: str, value: object) -> list:
    if isinstance(value, list):
        return value
    raise MetadataError(path, name, "must be a list ([[hints]] tables)")


def _calibration(path: Path, table: object) -> dict[str, float]:
    if table is None:
        return {}
    if not isinstance(table, dict) or not set(table) <= {"slowest_check_s", "peak_mb"}:
        raise MetadataError(path, "calibration", "holds slowest_check_s and peak_mb (grade verify --calibrate)")
    return {k: _seconds(path, f"calibration.{k}", v) for k, v in table.items()}


def write_calibration(ex: Exercise, slowest_check_s: float, peak_mb: float | None = None) -> None:
    """Record the reference's slowest check (and its peak memory) in the exercise's toml,
    replacing an earlier `[calibration]` table and keeping the rest of the file as it is."""
    kept, inside = [], False
    for line in ex.meta_path.read_text(encoding="utf-8").splitlines():
        if line.startswith("["):
            inside = line.startswith("[calibration]")
        if not inside:
            kept.append(line)
    table = "\n\n[calibration]  # grade verify --calibrate: the reference's slowest check (s), peak memory (MB)\n" \
            f"slowest_check_s = {slowest_check_s:.2f}\n" + (f"peak_mb = {peak_mb:.1f}\n" if peak_mb else "")
    ex.meta_path.write_text("\n".join(kept).rstrip("\n") + table, encoding="utf-8")
    ex.__dict__.pop("meta", None)


def _reasons(path: Path, table: object) -> tuple[tuple[str, str], ...]:
    if not isinstance(table, dict):
        raise MetadataError(path, "idle_checks", "must be a table of check name = reason")
    bad = [k for k, v in table.items() if not isinstance(v, str) or not v.strip()]
    if bad:
        raise MetadataError(path, "idle_checks", f"each entry needs a one-line reason: {bad}")
    return tuple(sorted(table.items()))


def _phrases(path: Path, table: object) -> tuple[tuple[str, str], ...]:
    if not isinstance(table, dict):
        raise MetadataError(path, "check_descriptions", "must be a table of check name = short Japanese phrase")
    bad = [k for k, v in table.items() if not isinstance(v, str) or not v.strip() or "\n" in v or len(v) > 80]
    if bad:
        raise MetadataError(path, "check_descriptions", f"each entry needs one short line (at most 80 characters): {bad}")
    return tuple(table.items())


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
