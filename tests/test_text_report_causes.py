"""One cause, one entry: checks that fail for the same reason are folded under the first;
parameters that differ from the task's come first, with what the exercise adds to the
textbook's answer."""

from __future__ import annotations

from grader.i18n import T
from grader.reports.text import render
from grader.results import CheckResult, ExerciseResult, Report

RAISED = T(ja="あなたのコードで例外が発生しました — ZeroDivisionError", en="your code raised ZeroDivisionError")
SIGNATURE = T(ja="あなたのコードの Model.__init__ の引数が課題文と違います", en="the parameters of your Model.__init__ differ")


def _report(*checks: CheckResult, adds: T | None = None) -> str:
    ex = ExerciseResult("ex3", "demo", T.same("demo"), "graded", list(checks), textbook_adds=adds)
    return render(Report([ex]), "en")


def test_checks_failing_for_the_same_reason_read_as_one_entry() -> None:
    text = _report(CheckResult("a", "failed", 1, RAISED), CheckResult("b", "passed", 1),
                   CheckResult("c", "failed", 2, RAISED), CheckResult("d", "failed", 1, T.same("other")))
    assert text.count("your code raised ZeroDivisionError") == 1
    assert "2 checks fail for this one reason (also: c)" in text
    assert "c (0/2) — same reason as a, above" in text
    assert "other" in text  # a different reason keeps its own entry


def test_parameters_that_differ_come_first_with_what_the_exercise_adds() -> None:
    adds = T(ja="mean と std の引数", en="the mean and std parameters")
    text = _report(CheckResult("a", "passed", 1), CheckResult("b", "failed", 2, SIGNATURE, cause="signature"),
                   CheckResult("c", "failed", 1, SIGNATURE, cause="signature"), adds=adds)
    lines = text.splitlines()
    assert lines[1].startswith("  ⚠ the parameters of your Model.__init__ differ")
    assert "This exercise adds to the textbook's answer: the mean and std parameters" in text
    assert "2 checks cannot run because of it: b, c" in text
    assert text.count("the parameters of your Model.__init__ differ") == 1
    assert "b (0/2) — stopped by the parameters shown first" in text
