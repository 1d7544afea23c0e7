"""`grade verify`: an author's proof that an exercise's checks are sound.

For each exercise: the reference gets full marks (and a positive maximum), the untouched
stub gets 0, and every shipped mutant (`checks/mutants/exNN/*.py`, one plausible mistake
each) loses points. The catch matrix (mutant × check) shows which mistakes each check
catches, and flags a check that catches none of them.
"""

from __future__ import annotations

import shutil
import tempfile
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterator

from grader.catalog import Exercise
from grader.runner import GradeOptions, Job, grade
from grader.results import ExerciseResult


@dataclass
class Subject:
    kind: str  # reference | stub | mutant
    name: str
    path: Path
    mistake: str = ""
    result: ExerciseResult | None = None

    @property
    def ok(self) -> bool:
        r = self.result
        if r is None:
            return False
        if self.kind == "reference":
            return r.status == "graded" and r.max_score > 0 and r.score == r.max_score
        if self.kind == "stub":
            return r.score == 0
        return r.score < r.max_score


@dataclass
class ExerciseVerdict:
    exercise: Exercise
    subjects: list[Subject] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        mutants = [s for s in self.subjects if s.kind == "mutant"]
        return bool(mutants) and all(s.ok for s in self.subjects)

    def idle_checks(self) -> list[str]:
        """Checks that no mutant fails: each may be fine, but an author should know."""
        mutants = [s for s in self.subjects if s.kind == "mutant" and s.result]
        if not mutants:
            return []
        names = [c.name for c in mutants[0].result.checks]  # type: ignore[union-attr]
        caught = {c.name for s in mutants for c in s.result.checks if c.status != "passed"}  # type: ignore[union-attr]
        return [n for n in names if n not in caught]


def mutant_mistake(path: Path) -> str:
    """The one-line comment naming the mistake: the first `# ...` line of the file."""
    for line in path.read_text(encoding="utf-8").splitlines():
        s = line.strip()
        if s.startswith("#") and not s.startswith("#!"):
            return s.lstrip("# ").removeprefix("Mutant:").strip()
    return ""


@contextmanager
def _as_submission(ex: Exercise, source: Path) -> Iterator[Path]:
    folder = Path(tempfile.mkdtemp(prefix="grade-verify-"))
    try:
        if source.is_file():  # a missing stub or reference grades as "missing", reported by verify
            shutil.copy2(source, folder / ex.filename)
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def verify(
    exercises: list[Exercise],
    opts: GradeOptions,
    *,
    workers: int = 1,
    on_result: Callable[[Job, ExerciseResult], None] | None = None,
) -> list[ExerciseVerdict]:
    verdicts = []
    subjects: list[tuple[ExerciseVerdict, Subject]] = []
    for ex in exercises:
        v = ExerciseVerdict(ex)
        v.subjects.append(Subject("reference", "reference", ex.reference_path))
        v.subjects.append(Subject("stub", "stub", ex.stub_path))
        for m in ex.mutants():
            v.subjects.append(Subject("mutant", m.stem, m, mutant_mistake(m)))
        verdicts.append(v)
        subjects += [(v, s) for s in v.subjects]
    folders = []
    jobs = []
    try:
        for v, s in subjects:
            ctx = _as_submission(v.exercise, s.path)
            folders.append(ctx)
            jobs.append(Job(v.exercise, ctx.__enter__()))
        results = grade(jobs, opts, workers=workers, on_result=on_result)
    finally:
        for ctx in folders:
            ctx.__exit__(None, None, None)
    for (_, s), r in zip(subjects, results):
        s.result = r
    return verdicts
