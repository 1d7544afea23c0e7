"""`grade verify`: an author's proof that an exercise's checks are sound.

For each exercise: the reference gets full marks (and a positive maximum), the untouched
stub gets 0 (a `kind = "fix"` stub, buggy code that runs: above 0 and at most
FIX_STUB_MAX_SHARE of the points), and every shipped mutant (`checks/mutants/exNN/*.py`, one plausible mistake
each) loses points. The catch matrix (mutant × check) shows which mistakes each check
catches. A check that no mutant fails is an error (it proves nothing) unless the
exercise's toml justifies it in one line:

    [idle_checks]
    gpu_parity = "runs only on a CUDA/MPS machine"

A mutant that survives while some checks were skipped on this machine (no CUDA, ...) is
reported with those checks named: it may be one that only they catch.
"""

from __future__ import annotations

import shutil
import tempfile
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterator

from grader.catalog import FIX_STUB_MAX_SHARE, Exercise
from grader.isolation.host import GradeOptions, Job, grade
from grader.results import ExerciseResult


@dataclass
class Subject:
    kind: str  # reference | stub | mutant
    name: str
    path: Path
    mistake: str = ""
    result: ExerciseResult | None = None
    fix: bool = False  # the stub of a `kind = "fix"` exercise: it runs and scores a little

    @property
    def ok(self) -> bool:
        r = self.result
        if r is None:
            return False
        if self.kind == "reference":
            return r.status == "graded" and r.max_score > 0 and r.score == r.max_score
        if self.kind == "stub":
            return stub_scores_as_it_should(r, fix=self.fix)
        return r.score < r.max_score


def stub_scores_as_it_should(r: ExerciseResult, *, fix: bool) -> bool:
    """A stub scores 0; a fix stub (the listing with its bugs) is graded and scores above 0
    but at most FIX_STUB_MAX_SHARE of the points: the checks its bugs do not touch.

        >>> from grader.i18n import T
        >>> from grader.results import CheckResult
        >>> r = ExerciseResult("ex9", "demo", T.same("demo"), "graded",
        ...                    [CheckResult("a", "passed", 1.0), CheckResult("b", "failed", 3.0)])
        >>> stub_scores_as_it_should(r, fix=True), stub_scores_as_it_should(r, fix=False)
        (True, False)
    """
    if not fix:
        return r.score == 0
    return r.status == "graded" and 0 < r.score <= FIX_STUB_MAX_SHARE * r.max_score


@dataclass
class ExerciseVerdict:
    exercise: Exercise
    subjects: list[Subject] = field(default_factory=list)

    @property
    def mutants(self) -> list[Subject]:
        return [s for s in self.subjects if s.kind == "mutant" and s.result is not None]

    @property
    def ok(self) -> bool:
        return (bool(self.mutants) and all(s.ok for s in self.subjects)
                and not self.idle_checks() and not self.unknown_justifications())

    def check_names(self) -> list[str]:
        """The exercise's checks, in report order (from the first subject that ran any)."""
        for s in self.subjects:
            if s.result is not None and s.result.checks:
                return [c.name for c in s.result.checks]
        return []

    def _statuses(self, name: str) -> list[str]:
        return [next((c.status for c in s.result.checks if c.name == name), "error")  # type: ignore[union-attr]
                for s in self.subjects if s.result is not None]

    def not_run(self) -> list[str]:
        """Checks skipped for every subject on this machine (a device it does not have)."""
        return [n for n in self.check_names() if all(st == "skipped" for st in self._statuses(n))]

    def catches(self, name: str) -> int:
        return sum(1 for s in self.mutants
                   if next((c.status for c in s.result.checks if c.name == name), "error")  # type: ignore[union-attr]
                   not in ("passed", "skipped"))

    def idle_checks(self, *, justified: bool = False) -> list[str]:
        """Checks that ran here and that no mutant fails. Without `justified`, only those the
        toml's `[idle_checks]` does not justify: each of these makes the verdict unsound."""
        if not self.mutants:
            return []
        skip = set(self.not_run())
        reasons = self.exercise.idle_checks
        return [n for n in self.check_names()
                if n not in skip and self.catches(n) == 0 and (n in reasons) == justified]

    def unknown_justifications(self) -> list[str]:
        """`[idle_checks]` entries naming no check of this exercise (a rename left behind)."""
        names = set(self.check_names())
        return sorted(n for n in self.exercise.idle_checks if names and n not in names)

    def reference_slowest_check(self) -> float | None:
        """Seconds the reference's slowest check took (None unless it got full marks)."""
        ref = self._full_reference()
        return max(c.duration_s for c in ref.result.checks) if ref and ref.result and ref.result.checks else None

    def reference_peak_mb(self) -> float | None:
        ref = self._full_reference()
        return ref.result.memory_peak_mb if ref and ref.result else None

    def _full_reference(self) -> Subject | None:
        """The reference, when it got full marks (only then are its measurements a calibration)."""
        return next((s for s in self.subjects if s.kind == "reference" and s.ok), None)

    def skipped_for(self, subject: Subject) -> list[str]:
        """The checks skipped while grading `subject` (they could not catch it here)."""
        r = subject.result
        return [c.name for c in r.checks if c.status == "skipped"] if r is not None else []


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
        v.subjects.append(Subject("stub", "stub", ex.stub_path, fix=ex.is_fix))
        for m in ex.mutants():
            v.subjects.append(Subject("mutant", m.stem, m, mutant_mistake(m)))
        verdicts.append(v)
        subjects += [(v, s) for s in v.subjects]
    with ExitStack() as folders:  # each subject's temp folder, removed however grading ends
        jobs = [Job(v.exercise, folders.enter_context(_as_submission(v.exercise, s.path))) for v, s in subjects]
        results = grade(jobs, opts, workers=workers, on_result=on_result)
    for (_, s), r in zip(subjects, results):
        s.result = r
    return verdicts
