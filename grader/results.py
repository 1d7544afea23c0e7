"""What grading produced: plain data every report format is built from.

Scoring rules live here, in one place: a check's points count when it passed; a skipped
check (a device or framework that is not there) counts 0 toward the maximum.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from grader.i18n import Lang, T

SCHEMA_VERSION = 1


@dataclass
class CheckResult:
    name: str
    status: str  # passed | failed | error | skipped
    max_points: float
    message: T | None = None
    help: T | None = None
    expected: str | None = None
    actual: str | None = None
    counterexample: str | T | None = None
    output: str = ""
    traceback: str = ""
    duration_s: float = 0.0
    cause: str = ""  # "signature": the learner's parameters differ from the task's
    description_ja: str | None = None  # what the check verifies, shown beside its name under --lang ja

    @property
    def points(self) -> float:
        return self.max_points if self.status == "passed" else 0.0

    def described(self, lang: Lang) -> str | None:
        """What the check verifies, where it is said in `lang` (Japanese: the names read as English)."""
        return self.description_ja if lang == "ja" else None

    def labelled(self, lang: Lang) -> str:
        """The check's name, with what it verifies beside it where `described`."""
        said = self.described(lang)
        return f"{self.name} — {said}" if said else self.name

    @property
    def counted_max(self) -> float:
        return 0.0 if self.status == "skipped" else self.max_points

    def to_json(self, lang: Lang) -> dict[str, Any]:
        return {
            "name": self.name,
            "status": self.status,
            "points": self.points,
            "max_points": self.counted_max,
            "message": full_message(self, lang),
            "output": self.output,
        }


def full_message(check: CheckResult, lang: Lang) -> str | None:
    """The check's feedback as one text: what went wrong, expected/actual, counter-example, idea."""
    if check.message is None:
        return None
    labels = LABELS
    parts = [check.message.render(lang)]
    if check.expected is not None:
        parts.append(f"{labels['expected'].render(lang)}: {check.expected}")
    if check.actual is not None:
        parts.append(f"{labels['actual'].render(lang)}: {check.actual}")
    example = check.counterexample.render(lang) if isinstance(check.counterexample, T) else check.counterexample
    if example:
        parts.append(f"{labels['counterexample'].render(lang)}:\n    " + example.replace("\n", "\n    "))
    if check.help is not None:
        parts.append(f"{labels['help'].render(lang)}: {check.help.render(lang)}")
    return "\n".join(parts)


LABELS = {
    "expected": T(ja="期待", en="expected"),
    "actual": T(ja="実際", en="got"),
    "counterexample": T(ja="最小の反例", en="smallest counter-example"),
    "help": T(ja="見直すポイント", en="idea to revisit"),
}


@dataclass
class ExerciseResult:
    id: str
    slug: str
    title: T
    status: str  # graded | missing | error | timeout
    checks: list[CheckResult] = field(default_factory=list)
    message: T | None = None
    duration_s: float = 0.0
    memory_peak_mb: float | None = None  # what the exercise's processes held at most (a cgroup's count)
    textbook_adds: T | None = None  # what the exercise asks beyond the textbook's printed answer
    fix: bool = False  # a `kind = "fix"` exercise: until it passes, its code is "not fixed yet"

    @property
    def score(self) -> float:
        return float(sum(c.points for c in self.checks))

    @property
    def max_score(self) -> float:
        return float(sum(c.counted_max for c in self.checks))

    @property
    def passed(self) -> bool:
        return self.status == "graded" and all(c.status in ("passed", "skipped") for c in self.checks)

    def to_json(self, lang: Lang) -> dict[str, Any]:
        return {
            "id": self.id,
            "slug": self.slug,
            "score": self.score,
            "max_score": self.max_score,
            "status": self.status,
            "message": self.message.render(lang) if self.message else None,
            "duration_s": round(self.duration_s, 3),
            "checks": [c.to_json(lang) for c in self.checks],
        }


@dataclass
class Report:
    exercises: list[ExerciseResult]

    @property
    def score(self) -> float:
        return float(sum(e.score for e in self.exercises))

    @property
    def max_score(self) -> float:
        return float(sum(e.max_score for e in self.exercises))

    @property
    def all_passed(self) -> bool:
        return all(e.passed for e in self.exercises)

    def to_json(self, lang: Lang) -> dict[str, Any]:
        return {
            "schema": SCHEMA_VERSION,
            "score": self.score,
            "max_score": self.max_score,
            "exercises": [e.to_json(lang) for e in self.exercises],
        }
