"""The textbook's own printed answers (tests/textbook/, 演習問題 問題3–5 of seeds/000), graded as
they are: learners paste them, so the score they get and what the report tells them are pinned.

The exercises ask for more than the textbook, so these answers do not get full marks; the
report must say why in the learner's terms. Where the printed answer lacks a parameter the
exercise adds (問題3's mean/std, 問題5's min_delta), the first entry names that parameter,
once, followed by the exercise's `textbook_adds` sentence — never "the check could not use
what your code returned", and no TypeError repeated under every check it stops.

問題2's printed answer is not here: it is a script with no `train` function, so grading it
only exercises "`train` is not defined" and says nothing about the textbook's fix.

Scores are pinned for the checks that run on every machine (cpu); a check that runs on an
accelerator only where one is present (`[cuda]`, `[mps]`) adds its points to both sides.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from grader import catalog
from grader.reports.text import UI
from helpers import grade_json, run_grade

TEXTBOOK = Path(__file__).resolve().parent / "textbook"
EXERCISES = {ex.id: ex for ex in catalog.discover()}
ACCELERATORS = ("[cuda]", "[mps]")

# (score, max score) on the cpu-only checks, as observed:
CPU_SCORES = {
    # 問題3: no mean/std parameters stops given_statistics_are_used (2), given_zero_mean_and_unit_std_are_used (1)
    # and caller_arrays_are_not_modified (1, it passes mean/std too); no argument checks loses
    # mismatched_lengths_raise_value_error (1) and data_not_2d_raises_value_error (1). The rest passes,
    # the zero-std feature included (its std + 1e-8).
    "ex3": (13, 19),
    # 問題4: the PyTorch model is right (all 12 points); the Keras model is a module-level keras_model, not
    # build_keras_model(), so the 11 Keras checks (14 points) fail on the one missing name.
    "ex4": (12, 26),
    # 問題5: only default_patience_and_min_delta and default_checkpoint_path (1 each) construct it without
    # min_delta; the 20 checks that pass min_delta=... are stopped (28 points); no ValueError for patience=0
    # loses invalid_arguments_raise_value_error (1), and verbose_mode_follows_the_same_rule (1) fails on its
    # NaN rule (a NaN first loss becomes best_loss and nothing improves on it).
    "ex5": (2, 32),
}
# The parameter each printed answer lacks, named in the report's first entry.
MISSING_PARAMETER = {"ex3": ("NormalizedDataset.__init__", "mean"),
                     "ex5": ("EarlyStoppingWithCheckpoint.__init__", "min_delta")}
COULD_NOT_USE = {"ja": "返された値をチェックが扱えませんでした", "en": "could not use what your code returned"}
DIFFERS = {"ja": "あなたのコードの {name} の引数が課題文と違います",
           "en": "the parameters of your {name} differ from the task's"}
CHECK_MARKS = ("  ✓ ", "  ✗ ", "  ! ", "  - ")

_json: dict[str, dict[str, Any]] = {}
_text: dict[tuple[str, str], str] = {}


def _graded(ex_id: str) -> dict[str, Any]:
    if ex_id not in _json:
        _, report = grade_json(ex_id, "--submission", str(TEXTBOOK))
        (_json[ex_id],) = report["exercises"]
    return _json[ex_id]


def _report(ex_id: str, lang: str) -> str:
    if (ex_id, lang) not in _text:
        proc = run_grade(ex_id, "--submission", str(TEXTBOOK), "--lang", lang)
        assert proc.returncode == 1, f"grade failed ({proc.returncode}):\n{proc.stdout}\n{proc.stderr}"
        _text[ex_id, lang] = proc.stdout
    return _text[ex_id, lang]


def _flat(text: str) -> str:
    """Text without whitespace: the report wraps long lines at any space (or between any two
    Japanese characters), so sentences are compared with their whitespace removed."""
    return "".join(text.split())


def _first_entry(report: str) -> str:
    """What the report says between its title line and its first check line."""
    lines = report.splitlines()[1:]
    end = next(i for i, line in enumerate(lines) if line.startswith(CHECK_MARKS))
    return "\n".join(lines[:end])


def _accelerator_rows(ex: dict[str, Any]) -> list[dict[str, Any]]:
    return [c for c in ex["checks"] if c["name"].endswith(ACCELERATORS) and c["status"] != "skipped"]


@pytest.mark.parametrize("ex_id", sorted(CPU_SCORES))
def test_fixture_is_the_exercise_file(ex_id: str) -> None:
    """Each fixture is named as the exercise file, so `--submission tests/textbook` grades it."""
    assert (TEXTBOOK / EXERCISES[ex_id].filename).is_file()


@pytest.mark.parametrize("ex_id", sorted(CPU_SCORES))
def test_score(ex_id: str) -> None:
    ex = _graded(ex_id)
    score, max_score = CPU_SCORES[ex_id]
    extra = _accelerator_rows(ex)
    assert ex["status"] == "graded"
    assert (ex["score"], ex["max_score"]) == (score + sum(c["points"] for c in extra),
                                              max_score + sum(c["max_points"] for c in extra))
    if ex_id == "ex4":  # the printed PyTorch model is right on every device
        assert all(c["status"] == "passed" for c in extra)
    else:  # the missing parameter stops them too
        assert all(c["status"] == "failed" for c in extra)


@pytest.mark.parametrize("lang", ["ja", "en"])
@pytest.mark.parametrize("ex_id", sorted(MISSING_PARAMETER))
def test_missing_parameter_comes_first_once_with_what_the_exercise_adds(ex_id: str, lang: str) -> None:
    ex = _graded(ex_id)
    report = _report(ex_id, lang)
    title = report.splitlines()[0]
    assert title.startswith(ex_id) and f"  {ex['score']:g}/{ex['max_score']:g} (" in title
    assert report.splitlines()[1].startswith("  ⚠ "), report
    name, parameter = MISSING_PARAMETER[ex_id]
    entry = _flat(_first_entry(report))
    differs = _flat(DIFFERS[lang].format(name=name))
    missing = _flat(f"TypeError: {name}() got an unexpected keyword argument '{parameter}'")
    adds = EXERCISES[ex_id].textbook_adds
    assert adds is not None, f"checks/{EXERCISES[ex_id].stem}.toml has no textbook_adds"
    adds_line = _flat(f"{UI['textbook_adds'].render(lang)} {adds.render(lang)}")
    assert entry.startswith("⚠" + differs), report
    assert missing in entry, report
    assert entry.index(missing) < entry.index(adds_line), "the textbook_adds sentence follows the ⚠ message"
    assert _flat(report).count(missing) == 1 and report.count("TypeError") == 1, report
    assert _flat(report).count(adds_line) == 1, report
    assert COULD_NOT_USE[lang] not in report


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_twin_models_report(lang: str) -> None:
    """問題4 changes, not adds, a parameter: its Keras model is a module-level variable. The report
    passes every PyTorch check, and says once that build_keras_model is missing."""
    report = _report("ex4", lang)
    lines = report.splitlines()
    pytorch = [line for line in lines if line.startswith(CHECK_MARKS) and " pytorch_" in line]
    folded = [line.strip() for line in lines if line.startswith("        ✗ ")]  # under the entry of their reason
    keras = [line.strip() for line in lines if line.startswith(CHECK_MARKS) or line.strip() in folded]
    keras = [line for line in keras if " keras_" in line or " cross_" in line]
    assert pytorch and all(line.startswith(("  ✓ ", "  - ")) for line in pytorch), report
    assert len(keras) == 11 and all(line.startswith("✗ ") for line in keras), report
    missing = {"ja": "ex04_twin_models.py に `build_keras_model` が定義されていません",
               "en": "`build_keras_model` is not defined in ex04_twin_models.py"}[lang]
    assert report.count(missing) == 1, report
    assert "⚠" not in report and "Error" not in report and COULD_NOT_USE[lang] not in report
