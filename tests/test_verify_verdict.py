"""`grade verify`'s verdict rules, on hand-built results (no grading): a check no mutant
fails is an error unless the toml justifies it; a mutant that survives while checks were
skipped here is reported with those checks named."""

from __future__ import annotations

from pathlib import Path

import pytest

from grader.catalog import Exercise, MetadataError
from grader.i18n import T
from grader.reports.catch_matrix import render
from grader.results import CheckResult, ExerciseResult
from grader.verify import ExerciseVerdict, Subject

CHECKS = {"values_are_right": 2.0, "types_are_right": 1.0, "same_on_cuda": 1.0}


def _kit(tmp_path: Path, toml_extra: str = "") -> Exercise:
    for folder in ("checks/mutants/ex01", "exercises", "reference"):
        (tmp_path / folder).mkdir(parents=True, exist_ok=True)
    (tmp_path / "checks" / "ex01_demo.toml").write_text(
        'title = { ja = "デモ", en = "demo" }\nframework = "none"\n' + toml_extra, encoding="utf-8")
    for f in ("checks/test_ex01_demo.py", "exercises/ex01_demo.py", "reference/ex01_demo.py",
              "checks/mutants/ex01/wrong.py"):
        (tmp_path / f).write_text("# Mutant: wrong\n", encoding="utf-8")
    return Exercise(1, "demo", tmp_path)


def _subject(kind: str, name: str, statuses: dict[str, str]) -> Subject:
    checks = [CheckResult(n, statuses.get(n, "passed"), p) for n, p in CHECKS.items()]
    result = ExerciseResult("ex1", "demo", T(ja="デモ", en="demo"), "graded", checks)
    return Subject(kind, name, Path(name), mistake=name, result=result)


def _verdict(ex: Exercise, *mutants: dict[str, str]) -> ExerciseVerdict:
    v = ExerciseVerdict(ex)
    v.subjects.append(_subject("reference", "reference", {"same_on_cuda": "skipped"}))
    v.subjects.append(_subject("stub", "stub", {n: "failed" for n in CHECKS} | {"same_on_cuda": "skipped"}))
    v.subjects += [_subject("mutant", f"m{i}", m | {"same_on_cuda": "skipped"}) for i, m in enumerate(mutants)]
    return v


def test_a_check_no_mutant_fails_makes_verify_unsound(tmp_path: Path) -> None:
    v = _verdict(_kit(tmp_path), {"values_are_right": "failed"})
    assert v.idle_checks() == ["types_are_right"]
    assert v.not_run() == ["same_on_cuda"]  # skipped everywhere: not idle, just not run here
    assert not v.ok
    text, ok = render([v], "en")
    assert not ok
    assert "checks that catch no mutant: types_are_right" in text
    assert "verify: problems found" in text


def test_a_justified_idle_check_is_allowed_and_its_reason_shown(tmp_path: Path) -> None:
    ex = _kit(tmp_path, '[idle_checks]\ntypes_are_right = "no plausible mistake returns another type"\n')
    v = _verdict(ex, {"values_are_right": "failed"})
    assert v.idle_checks() == [] and v.idle_checks(justified=True) == ["types_are_right"]
    assert v.ok
    text, ok = render([v], "en")
    assert ok and "types_are_right — no plausible mistake returns another type" in text


def test_a_justification_for_a_check_that_does_not_exist_is_an_error(tmp_path: Path) -> None:
    ex = _kit(tmp_path, '[idle_checks]\nrenamed_long_ago = "was idle"\n')
    v = _verdict(ex, {"values_are_right": "failed", "types_are_right": "failed"})
    assert v.unknown_justifications() == ["renamed_long_ago"] and not v.ok
    assert "[idle_checks] names checks that do not exist: renamed_long_ago" in render([v], "en")[0]


def test_an_empty_reason_fails_at_load_naming_file_and_field(tmp_path: Path) -> None:
    ex = _kit(tmp_path, '[idle_checks]\ntypes_are_right = ""\n')
    with pytest.raises(MetadataError, match=r"ex01_demo\.toml: \[idle_checks\].*types_are_right"):
        ex.idle_checks


def test_a_survivor_is_linked_to_the_checks_skipped_on_this_machine(tmp_path: Path) -> None:
    v = _verdict(_kit(tmp_path), {"values_are_right": "failed", "types_are_right": "failed"}, {})
    text, ok = render([v], "en")
    assert not ok
    line = next(line for line in text.splitlines() if "m1" in line and "passes every check" in line)
    assert "passes every check that ran on this machine" in line and "same_on_cuda" in line
    assert "スキップされたチェック（same_on_cuda）" in render([v], "ja")[0]


@pytest.mark.parametrize("passing, fix, sound", [
    ((), False, True),                                          # a stub scores 0
    (("types_are_right",), False, False),                       # ... and nothing else
    ((), True, False),                                          # a fix stub runs: it scores above 0
    (("types_are_right",), True, True),                         # 1 of 4 points: at most a quarter
    (("values_are_right",), True, False),                       # 2 of 4: more than a quarter
])
def test_a_fix_stub_scores_above_zero_and_at_most_a_quarter(tmp_path: Path, passing: tuple[str, ...], fix: bool,
                                                            sound: bool) -> None:
    """`kind = "fix"`: the stub (the listing with its bugs) must pass only what its bugs do not
    touch: above 0 and at most FIX_STUB_MAX_SHARE of the points; an ordinary stub scores 0."""
    v = ExerciseVerdict(_kit(tmp_path, 'kind = "fix"\n' if fix else ""))
    v.subjects.append(_subject("reference", "reference", {}))
    stub = _subject("stub", "stub", {n: ("passed" if n in passing else "failed") for n in CHECKS})
    stub.fix = v.exercise.is_fix
    v.subjects.append(stub)
    v.subjects.append(_subject("mutant", "m0", {n: "failed" for n in CHECKS}))
    assert stub.ok is sound and v.ok is sound
    text, ok = render([v], "en")
    assert ok is sound
    if fix:
        assert "fix exercise: the stub runs and may score up to 25%" in text
        assert ("the fix stub scores" in text) is not sound and "the stub does not score 0" not in text
    else:
        assert ("the stub does not score 0" in text) is not sound
