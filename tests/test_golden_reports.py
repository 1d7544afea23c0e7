"""Golden tests (exercism-style): the text reports of a few wrong submissions, in Japanese
and in English, are checked in under tests/golden/ and compared line by line, so a change
in wording, grouping or causes shows up as a diff to review.

Each submission folder is graded once; its results are rendered in both languages.
After an intended change, regenerate the files and review the diff:

    GOLDEN_UPDATE=1 /work/tools/heavy .venv/bin/pytest tests/test_golden_reports.py -q
    git diff tests/golden/
"""

from __future__ import annotations

import os
import shutil
from dataclasses import replace
from pathlib import Path

import pytest

from grader import catalog
from grader.i18n import LANGS
from grader.results import ExerciseResult, Report

KIT = Path(__file__).resolve().parent.parent
GOLDEN = KIT / "tests" / "golden"
MUTANTS = KIT / "checks" / "mutants"

# Submission folders: each is graded once, with one wrong file per exercise.
FOLDERS: dict[str, list[Path]] = {
    "first": [GOLDEN / "submissions" / "ex02_forward_under_no_grad.py",
              MUTANTS / "ex05" / "nan_becomes_best.py",
              GOLDEN / "submissions" / "ex09_attributes_after_super_init.py"],
    "second": [MUTANTS / "ex02" / "no_zero_grad.py",
               MUTANTS / "ex05" / "verbose_formats_none.py",
               MUTANTS / "ex09" / "warmup_from_zero.py"],
}


def _exercise(source: Path) -> str:
    """ex02 for checks/mutants/ex02/x.py and for tests/golden/submissions/ex02_x.py."""
    return source.parent.name if source.parent.name.startswith("ex") else source.stem.split("_")[0]


def _case(source: Path) -> str:
    return f"{source.parent.name}_{source.stem}" if source.parent.name.startswith("ex") else source.stem


@pytest.fixture(scope="module")
def graded(tmp_path_factory: pytest.TempPathFactory) -> dict[str, ExerciseResult]:
    """Every case's result, each folder graded in one run (no GPU: the same skips everywhere)."""
    from grader.isolation.host import GradeOptions, Job, grade

    results: dict[str, ExerciseResult] = {}
    saved = os.environ.get("CUDA_VISIBLE_DEVICES")
    os.environ["CUDA_VISIBLE_DEVICES"] = ""
    try:
        for name, sources in FOLDERS.items():
            folder = tmp_path_factory.mktemp(name)
            exercises = []
            for source in sources:
                exercise = catalog.resolve(_exercise(source))
                shutil.copy2(source, folder / exercise.filename)
                exercises.append(exercise)
            done = grade([Job(ex, folder) for ex in exercises], GradeOptions(submission=folder))
            results.update({_case(source): result for source, result in zip(sources, done)})
    finally:
        if saved is None:
            os.environ.pop("CUDA_VISIBLE_DEVICES", None)
        else:
            os.environ["CUDA_VISIBLE_DEVICES"] = saved
    return results


def render(result: ExerciseResult, lang: str) -> str:
    from grader.reports.text import render as text

    return text(Report([replace(result, duration_s=0.0)]), lang)  # type: ignore[arg-type]


CASES = [(_case(s), lang) for sources in FOLDERS.values() for s in sources for lang in LANGS]


@pytest.mark.parametrize(("case", "lang"), CASES, ids=[f"{c}.{lang}" for c, lang in CASES])
def test_the_report_reads_as_checked_in(graded: dict[str, ExerciseResult], case: str, lang: str) -> None:
    path = GOLDEN / f"{case}.{lang}.txt"
    text = render(graded[case], lang)
    if os.environ.get("GOLDEN_UPDATE"):
        path.write_text(text, encoding="utf-8")
    assert path.is_file(), f"no golden file {path.name}: run with GOLDEN_UPDATE=1 and review it"
    assert text.splitlines() == path.read_text(encoding="utf-8").splitlines()
