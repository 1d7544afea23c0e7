"""A `grade batch` output folder read into typed records: what the class report shows.

    data = gather(Path("grades"), submissions=Path("submissions"))
    data.cell("ana", "ex3").status      # graded | missing | stub | unfixed | timeout | error

Everything comes from the files `grade batch` wrote and the gradebook reads: the
gradebook's rows (so the report and gradebook.csv cannot disagree), each student's
report.json (checks, messages, durations) and batch.json (the sha256 of each file graded,
which says whether it was the untouched stub).
"""

from __future__ import annotations

import hashlib
import json
import statistics
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from grader import catalog
from grader.gradebook import STUDENTS, load_output
from grader.i18n import T
from grader.results import LABELS

STATUSES = ("graded", "missing", "stub", "unfixed", "timeout", "error")  # unfixed: a fix exercise's stub
# score bins of every distribution chart: nothing, four quarters, full marks
BINS = (T.same("0"), T.same("1–24%"), T.same("25–49%"), T.same("50–74%"), T.same("75–99%"), T.same("100%"))


def score_bin(score: float, maximum: float) -> int:
    """Which of BINS a score falls in (a maximum of 0 counts as nothing scored)."""
    if maximum <= 0 or score <= 0:
        return 0
    if score >= maximum:
        return 5
    return 1 + min(3, int(100 * score / maximum) // 25)


@dataclass(frozen=True)
class Cell:
    """One student's result on one exercise."""

    student: str
    exercise: str
    score: float
    max_score: float
    status: str
    duration_s: float = 0.0
    message: str = ""

    def __post_init__(self) -> None:
        if self.status not in STATUSES:
            raise ValueError(f"status {self.status!r} is not one of {STATUSES}")


@dataclass(frozen=True)
class ExerciseInfo:
    id: str
    title: T
    filename: str
    max_score: float
    stub_sha: str | None
    fix: bool = False  # kind = "fix": the untouched file is buggy code that runs, "not fixed yet"


@dataclass
class CheckStat:
    """A check and the attempts it failed: the misconceptions to re-teach."""

    exercise: str
    check: str
    attempts: int = 0
    failed: list[str] = field(default_factory=list)
    ideas: dict[str, int] = field(default_factory=dict)  # idea-to-revisit text -> how many failures said it

    @property
    def share(self) -> float:
        return len(self.failed) / self.attempts if self.attempts else 0.0

    @property
    def idea(self) -> str:
        """The idea to revisit that most of its failures gave (ties: the first in text order)."""
        return min(self.ideas.items(), key=lambda kv: (-kv[1], kv[0]))[0] if self.ideas else ""


@dataclass(frozen=True)
class Misconception:
    """Checks of one exercise whose failures give the same idea to revisit: one cause, one
    row (a parametrised check fails the same way for each of its cases)."""

    exercise: str
    checks: tuple[str, ...]
    failed: tuple[str, ...]  # students who failed at least one of them
    attempts: int
    idea: str

    @property
    def share(self) -> float:
        return len(self.failed) / self.attempts if self.attempts else 0.0


def misconceptions(stats: list[CheckStat]) -> list[Misconception]:
    """Failed checks grouped by (exercise, idea to revisit), the largest share of the class first."""
    groups: dict[tuple[str, str], list[CheckStat]] = {}
    for c in stats:
        if c.failed:
            groups.setdefault((c.exercise, c.idea or f"\0{c.check}"), []).append(c)
    rows = [Misconception(ex, tuple(c.check for c in cs), tuple(sorted({s for c in cs for s in c.failed})),
                          max(c.attempts for c in cs), cs[0].idea) for (ex, _), cs in groups.items()]
    return sorted(rows, key=lambda m: (-m.share, -len(m.failed), _key(m.exercise), m.checks))


@dataclass
class Health:
    timeouts: list[Cell] = field(default_factory=list)
    errors: list[Cell] = field(default_factory=list)
    crashed_checks: list[tuple[str, str, str, str]] = field(default_factory=list)  # student, exercise, check, why
    not_graded: list[str] = field(default_factory=list)  # roster students with no report
    slowest: list[Cell] = field(default_factory=list)


@dataclass
class ClassData:
    out: Path
    submissions: Path | None
    exercises: list[ExerciseInfo]
    students: list[str]
    cells: dict[tuple[str, str], Cell]
    totals: dict[str, float]
    max_totals: dict[str, float]  # each student's maximum (the CSV's max_score)
    max_total: float  # the class's largest maximum, per exercise (the gradebook's)
    checks: list[CheckStat]  # every check some attempt failed, the largest share first
    misconceptions: list[Misconception]
    health: Health

    def cell(self, student: str, exercise: str) -> Cell:
        return self.cells[(student, exercise)]

    def column(self, exercise: str) -> list[Cell]:
        return [self.cells[(s, exercise)] for s in self.students if (s, exercise) in self.cells]

    def stats(self, exercise: str | None = None) -> dict[str, float]:
        """n, mean, median, min, max and full marks of one exercise (None: the totals)."""
        pairs = self._scored(exercise)
        if not pairs:
            return {"n": 0}
        scores = [score for score, _ in pairs]
        return {"n": len(scores), "mean": statistics.fmean(scores), "median": statistics.median(scores),
                "min": min(scores), "max": max(scores), "full": sum(1 for s, m in pairs if s >= m > 0)}

    def histogram(self, exercise: str | None = None) -> list[int]:
        """How many students fall in each of BINS."""
        counts = [0] * len(BINS)
        for score, maximum in self._scored(exercise):
            counts[score_bin(score, maximum)] += 1
        return counts

    def _scored(self, exercise: str | None) -> list[tuple[float, float]]:
        """(score, the maximum that student could get) of one exercise, or of the totals: a
        check skipped for a missing device counts toward no one's maximum (as in the CSV)."""
        if exercise is None:
            return [(self.totals[s], self.max_totals[s]) for s in self.students]
        return [(c.score, c.max_score) for c in self.column(exercise)]


def gather(out: Path, submissions: Path | None = None) -> ClassData:
    """Read the batch output folder `out` (and note where the submissions are, for similarity)."""
    book = load_output(out)
    maxima = book.maxima()
    exercises = [_exercise_info(ex_id, maxima.get(ex_id, 0.0)) for ex_id in _ordered(book.exercises)]
    students = sorted(book.rows)
    cells: dict[tuple[str, str], Cell] = {}
    checks: dict[tuple[str, str], CheckStat] = {}
    health = Health(not_graded=book.missing())
    for student in students:
        report = _read_json(out / STUDENTS / student / "report.json")
        files = _read_json(out / STUDENTS / student / "batch.json").get("fingerprint", {}).get("files", {})
        for ex in report.get("exercises", []):
            info = next((e for e in exercises if e.id == ex["id"]), None)
            if info is None:
                continue
            cell = _cell(student, ex, info, files.get(ex["id"]))
            cells[(student, ex["id"])] = cell
            _count_checks(checks, cell, ex, health)
    for cell in cells.values():
        if cell.status == "timeout":
            health.timeouts.append(cell)
        elif cell.status == "error":
            health.errors.append(cell)
    health.slowest = sorted(cells.values(), key=lambda c: (-c.duration_s, c.student, c.exercise))[:5]
    ranked = sorted((c for c in checks.values() if c.failed),
                    key=lambda c: (-c.share, -len(c.failed), _key(c.exercise), c.check))
    return ClassData(out=out, submissions=submissions, exercises=exercises, students=students, cells=cells,
                     totals={s: book.rows[s].total for s in students},
                     max_totals={s: book.rows[s].max_score for s in students}, max_total=float(sum(maxima.values())),
                     checks=ranked, misconceptions=misconceptions(ranked), health=health)


def _cell(student: str, ex: dict[str, Any], info: ExerciseInfo, file_sha: str | None) -> Cell:
    status = str(ex.get("status", "graded"))
    if status == "graded" and file_sha is not None and file_sha == info.stub_sha:
        status = "unfixed" if info.fix else "stub"
    first_line = (ex.get("message") or "").splitlines()[:1]
    return Cell(student, ex["id"], float(ex["score"]), float(ex["max_score"]), status if status in STATUSES else "error",
                float(ex.get("duration_s") or 0.0), first_line[0] if first_line else "")


def _count_checks(checks: dict[tuple[str, str], CheckStat], cell: Cell, ex: dict[str, Any], health: Health) -> None:
    """A check's share counts attempts only: a missing file or the untouched stub is no misconception."""
    attempted = cell.status in ("graded", "timeout", "error")
    for c in ex.get("checks", []):
        if c.get("status") == "error" and cell.status == "graded":
            why = (c.get("message") or "").splitlines()[:1]
            health.crashed_checks.append((cell.student, cell.exercise, c["name"], why[0] if why else ""))
        if not attempted or float(c.get("max_points", 0)) <= 0:
            continue
        stat = checks.setdefault((cell.exercise, c["name"]), CheckStat(cell.exercise, c["name"]))
        stat.attempts += 1
        if c.get("status") in ("failed", "error"):
            stat.failed.append(cell.student)
            idea = idea_to_revisit(c.get("message") or "")
            if idea:
                stat.ideas[idea] = stat.ideas.get(idea, 0) + 1


def idea_to_revisit(message: str) -> str:
    """The "idea to revisit" part of a check's message, as `results.full_message` wrote it
    (in the language the batch was graded in)."""
    for label in (LABELS["help"].ja, LABELS["help"].en):
        head = f"{label}: "
        at = message.rfind("\n" + head)
        if at >= 0:
            return message[at + 1 + len(head):].strip()
        if message.startswith(head):
            return message[len(head):].strip()
    return ""


def _exercise_info(ex_id: str, max_score: float) -> ExerciseInfo:
    try:
        ex = catalog.resolve(ex_id)
    except catalog.UnknownExercise:  # graded by another version of the kit
        return ExerciseInfo(ex_id, T.same(ex_id), "", max_score, None)
    stub = hashlib.sha256(ex.stub_path.read_bytes()).hexdigest() if ex.stub_path.is_file() else None
    return ExerciseInfo(ex.id, ex.title, ex.filename, max_score, stub, ex.is_fix)


def _read_json(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _key(ex_id: str) -> tuple[int, str]:
    digits = "".join(ch for ch in ex_id if ch.isdigit())
    return (int(digits) if digits else 10**6, ex_id)


def _ordered(ids: list[str]) -> list[str]:
    return sorted(dict.fromkeys(ids), key=_key)
