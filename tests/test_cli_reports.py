"""The command line and the JSON report, as other tools and learners see them."""

import json
from pathlib import Path

import jsonschema

from grader import catalog
from helpers import KIT, grade_json, run_grade, strip_timings, submission

SCHEMA = json.loads((KIT / "docs" / "report-schema.json").read_text())


def test_reference_full_marks_and_stub_zero_in_valid_json() -> None:
    code, ref = grade_json("ex1", "--reference")
    jsonschema.validate(ref, SCHEMA)
    assert code == 0 and ref["score"] == ref["max_score"] > 0
    code, stub = grade_json("ex1")
    jsonschema.validate(stub, SCHEMA)
    assert code == 1 and stub["score"] == 0 and stub["max_score"] == ref["max_score"]
    assert all(c["status"] == "failed" and c["message"] for c in stub["exercises"][0]["checks"])


def test_exit_status_and_usage_errors() -> None:
    assert run_grade("ex1", "--reference").returncode == 0
    assert run_grade("ex1").returncode == 1
    bad = run_grade("ex1", "--format", "yaml")
    assert bad.returncode == 2
    assert run_grade("nosuchexercise").returncode == 2


def test_english_throughout_with_lang_en(tmp_path: Path) -> None:
    proc = run_grade("ex1", "--lang", "en")
    assert proc.returncode == 1
    assert "unanswered" in proc.stdout
    assert not any("\u3040" <= ch <= "\u30ff" or "\u4e00" <= ch <= "\u9fff" for ch in proc.stdout), proc.stdout


def test_japanese_with_lang_ja() -> None:
    proc = run_grade("ex1", "--lang", "ja")
    assert "未回答" in proc.stdout


def test_partial_score_explains_each_wrong_answer(tmp_path: Path) -> None:
    folder = submission(tmp_path, "ex01_true_or_false", "ANSWERS = {1: True, 2: True, 3: True, 4: 'True'}\n")
    code, report = grade_json("ex1", "--submission", str(folder))
    ex = report["exercises"][0]
    assert code == 1 and ex["score"] == 2 and ex["max_score"] == 4
    by_name = {c["name"]: c for c in ex["checks"]}
    assert "model(x)" in by_name["answer[statement_3]"]["message"]  # the seed's explanation
    assert "True or False" in by_name["answer[statement_4]"]["message"]


def test_output_file_and_machine_stdout_stays_clean(tmp_path: Path) -> None:
    folder = submission(tmp_path / "sub", "ex01_true_or_false",
                        "print('10 passed, 0 failed')\nANSWERS = {1: True, 2: True, 3: False, 4: True}\n")
    out = tmp_path / "report.json"
    proc = run_grade("ex1", "--submission", str(folder), "--format", "json", "--output", str(out))
    assert proc.returncode == 0 and proc.stdout.strip() == ""
    jsonschema.validate(json.loads(out.read_text()), SCHEMA)
    proc = run_grade("ex1", "--submission", str(folder), "--format", "json")
    json.loads(proc.stdout)  # the student's print is not in the stream


def test_missing_file_scores_zero_with_message(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    code, report = grade_json("ex1", "--submission", str(tmp_path / "empty"))
    ex = report["exercises"][0]
    assert code == 1 and ex["status"] == "missing" and ex["score"] == 0 and ex["max_score"] > 0
    assert "ex01_true_or_false.py" in ex["message"]


def test_same_submission_same_report_twice() -> None:
    ids = [e.id for e in catalog.discover() if e.framework in ("torch", "none")][:3]
    first = strip_timings(grade_json(*ids, "--reference")[1])
    second = strip_timings(grade_json(*ids, "--reference")[1])
    assert first == second


def test_hint_gives_one_more_each_call() -> None:
    first = run_grade("hint", "ex1")
    second = run_grade("hint", "ex1")
    assert first.returncode == 0 and "1/" in first.stdout and "2/" in second.stdout
    assert first.stdout != second.stdout


def test_a_terminal_shows_the_checks_done_while_an_exercise_is_graded() -> None:
    """From the first second: which exercise, and how many of its checks have reported."""
    import os
    import re
    import sys

    import pexpect

    env = {k: v for k, v in os.environ.items() if k != "NO_COLOR"}
    env.update(GRADE_LANG="en", TERM="xterm", COLUMNS="100")
    child = pexpect.spawn(sys.executable, ["-m", "grader.cli", "ex1", "--reference"], cwd=str(catalog.KIT_ROOT),
                          env=env, encoding="utf-8", timeout=120)
    child.expect(pexpect.EOF)
    counts = re.findall(r"grade ex1 · checks (\d+)/(\d+)", child.before)
    assert counts and {total for _, total in counts} == {"4"}, child.before[-500:]
    assert "All checks passed" in child.before
