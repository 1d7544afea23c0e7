"""The kit proves its own checks sound: every reference full marks, every stub 0, every
mutant loses points (`grade verify`), and correct solutions written in other styles than
the reference (tests/alternatives/exNN/*.py) get full marks too."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from grader import catalog
from grader.isolation.host import GradeOptions, Job, grade
from grader.verify import verify

ALTERNATIVES = Path(__file__).resolve().parent / "alternatives"
EXERCISES = catalog.discover()


@pytest.fixture(scope="module")
def verdicts() -> dict:
    opts = GradeOptions(submission=catalog.KIT_ROOT / "exercises")
    return {v.exercise.id: v for v in verify(EXERCISES, opts, workers=2)}


@pytest.mark.parametrize("ex", EXERCISES, ids=lambda e: e.id)
def test_verify_is_green(ex: catalog.Exercise, verdicts: dict) -> None:
    v = verdicts[ex.id]
    problems = []
    for s in v.subjects:
        r = s.result
        if not s.ok:
            failing = [f"{c.name}: {c.status} {c.message.en if c.message else ''}" for c in r.checks if c.status != "passed"]
            problems.append(f"{s.kind} {s.name}: {r.score:g}/{r.max_score:g} {r.status} {failing[:3]}")
    if v.idle_checks():
        problems.append(f"checks no mutant fails (add a mutant or justify under [idle_checks]): {v.idle_checks()}")
    if v.unknown_justifications():
        problems.append(f"[idle_checks] names no such check: {v.unknown_justifications()}")
    assert not problems, "\n".join(problems)
    assert sum(1 for s in v.subjects if s.kind == "mutant") >= 8


def _alternatives() -> list[tuple[catalog.Exercise, Path]]:
    found = []
    for ex in EXERCISES:
        folder = ALTERNATIVES / f"ex{ex.number:02d}"
        found += [(ex, p) for p in sorted(folder.glob("*.py"))]
    return found


ALTS = _alternatives()


def test_every_exercise_has_alternative_correct_solutions() -> None:
    have = {ex.id for ex, _ in ALTS}
    missing = [ex.id for ex in EXERCISES if ex.id not in have and ex.framework != "none"]
    assert not missing, f"no alternative correct solutions for {missing}"


def test_alternative_correct_solutions_get_full_marks(tmp_path: Path) -> None:
    jobs = []
    for i, (ex, path) in enumerate(ALTS):
        folder = tmp_path / f"{i}"
        folder.mkdir()
        shutil.copy2(path, folder / ex.filename)
        jobs.append(Job(ex, folder))
    results = grade(jobs, GradeOptions(submission=tmp_path), workers=2)
    wrong = []
    for (ex, path), r in zip(ALTS, results):
        if not (r.status == "graded" and r.score == r.max_score > 0):
            failing = [f"{c.name}: {c.message.en if c.message else c.status}" for c in r.checks if c.status != "passed"]
            wrong.append(f"{path.relative_to(ALTERNATIVES)}: {r.score:g}/{r.max_score:g} {failing[:3]}")
    assert not wrong, "\n".join(wrong)
