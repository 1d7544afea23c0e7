"""`grade batch`: a class graded in one go, resumable, sharded, merged, and the same scores
as grading each submission on its own. Uses ex1 (no framework: fast)."""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from grader import batch, catalog, gradebook

KIT = catalog.KIT_ROOT
EX1 = catalog.resolve("ex1")

PARTIAL = "ANSWERS = {1: True, 2: True, 3: True, 4: False}\n"  # 2 of 4
STRINGS = 'ANSWERS = {1: "True", 2: True, 3: False, 4: True}\n'  # 3 of 4


def make_class(root: Path) -> dict[str, int]:
    """Five students: the reference, the untouched stub, two partial answers, a missing file.
    Returns the score each must get."""
    for name in ("ana", "ben", "chika", "dmitri", "emre", ".hidden", "_private"):
        (root / name).mkdir(parents=True)
    shutil.copy(EX1.reference_path, root / "ana" / EX1.filename)
    shutil.copy(EX1.stub_path, root / "ben" / EX1.filename)
    (root / "chika" / EX1.filename).write_text(PARTIAL)
    (root / "dmitri" / EX1.filename).write_text(STRINGS)
    (root / "emre" / "notes.txt").write_text("I did not finish")  # no exercise file at all
    shutil.copy(EX1.reference_path, root / ".hidden" / EX1.filename)
    return {"ana": 4, "ben": 0, "chika": 2, "dmitri": 3, "emre": 0}


def run(root: Path, out: Path, **kw) -> batch.BatchResult:
    opts = batch.BatchOptions(root=root, out=out, exercises=[EX1], jobs=kw.pop("jobs", 2), timeout=120, **kw)
    return batch.run_batch(opts)


def read_csv(path: Path) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))))


@pytest.fixture(scope="module")
def graded(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, dict[str, int], batch.BatchResult]:
    root = tmp_path_factory.mktemp("class")
    expected = make_class(root)
    out = tmp_path_factory.mktemp("grades")
    return root, out, expected, run(root, out)


# -- sharding ------------------------------------------------------------------------------
def test_shards_are_disjoint_cover_everyone_and_do_not_depend_on_order() -> None:
    names = [f"student{i:03d}" for i in range(200)] + ["山田太郎", "o'brien", "a b"]
    for n in (1, 2, 3, 7):
        shards = [batch.shard_of(s, n) for s in names]
        assert all(1 <= k <= n for k in shards)
        assert [batch.shard_of(s, n) for s in reversed(names)] == shards[::-1]
        if n > 1:
            assert len(set(shards)) == n, "every shard gets someone out of 203 names"
    assert batch.shard_of("student007", 4) == batch.shard_of("student007", 4)


@pytest.mark.parametrize("text", ["0/3", "4/3", "1/0", "a/b", "2", "1/2/3"])
def test_bad_shard_is_a_usage_error(text: str) -> None:
    with pytest.raises(batch.BatchError):
        batch.parse_shard(text)


def test_students_are_the_visible_sub_folders(tmp_path: Path) -> None:
    make_class(tmp_path)
    (tmp_path / "file.txt").write_text("not a student")
    (tmp_path / "out").mkdir()
    assert batch.discover_students(tmp_path, tmp_path / "out") == ["ana", "ben", "chika", "dmitri", "emre"]


# -- one run ---------------------------------------------------------------------------------
def test_gradebook_has_one_row_per_student_and_the_right_scores(graded) -> None:
    root, out, expected, result = graded
    rows = read_csv(out / "gradebook.csv")
    assert [r["student"] for r in rows] == sorted(expected)
    assert list(rows[0]) == ["student", "ex1", "total", "max_score"]
    for r in rows:
        assert float(r["ex1"]) == expected[r["student"]], r
        assert float(r["total"]) == expected[r["student"]]
        assert float(r["max_score"]) == 4.0
    assert result.graded == sorted(expected) and not result.skipped


def test_csv_matches_grading_each_submission_alone(graded) -> None:
    root, out, expected, _ = graded
    rows = {r["student"]: float(r["ex1"]) for r in read_csv(out / "gradebook.csv")}
    for student in ("ana", "chika", "emre"):
        proc = subprocess.run([sys.executable, "-m", "grader.cli", "ex1", "--submission", str(root / student),
                               "--format", "json"], cwd=KIT, capture_output=True, text=True, timeout=300,
                              env={**os.environ, "GRADE_LANG": "en"})
        assert proc.returncode in (0, 1), proc.stderr
        assert json.loads(proc.stdout)["score"] == rows[student], student


def test_each_student_gets_a_json_report_and_gradescope_results(graded) -> None:
    _, out, expected, _ = graded
    for student, score in expected.items():
        report = json.loads((out / "students" / student / "report.json").read_text(encoding="utf-8"))
        assert report["schema"] == 1 and report["score"] == score
        results = json.loads((out / "students" / student / "results.json").read_text(encoding="utf-8"))
        assert results["score"] == score
        assert len(results["tests"]) == 4
        assert {"name", "score", "max_score", "status", "output", "visibility"} <= set(results["tests"][0])
    emre = json.loads((out / "students" / "emre" / "report.json").read_text(encoding="utf-8"))
    assert emre["exercises"][0]["status"] == "missing"


def test_identical_files_are_graded_once(graded) -> None:
    _, _, _, result = graded
    assert result.jobs_total == 5
    assert result.jobs_run == 5  # five different files (or no file): nothing to share


def test_summary_for_a_ci_job(graded) -> None:
    _, out, _, _ = graded
    summary = (out / "summary.md").read_text(encoding="utf-8")
    assert "| ex1 | 4 |" in summary and "5 students" in summary


# -- resuming ------------------------------------------------------------------------------
def test_second_run_resumes_and_regrades_only_what_changed(tmp_path: Path) -> None:
    root, out = tmp_path / "class", tmp_path / "grades"
    expected = make_class(root)
    shutil.copy(EX1.reference_path, root / "ben" / EX1.filename)  # ben == ana: one grading for both
    expected["ben"] = 4
    first = run(root, out)
    assert first.jobs_run == first.jobs_total - 1
    assert {r["student"]: float(r["ex1"]) for r in read_csv(out / "gradebook.csv")} == expected
    again = run(root, out)
    assert again.graded == [] and again.skipped == sorted(expected)
    (root / "chika" / EX1.filename).write_text("ANSWERS = {1: True, 2: True, 3: False, 4: True}\n")
    third = run(root, out)
    assert third.graded == ["chika"]
    assert {r["student"]: float(r["ex1"]) for r in read_csv(out / "gradebook.csv")}["chika"] == 4.0
    forced = run(root, out, force=True)
    assert forced.graded == sorted(expected)


# -- shards and merging ------------------------------------------------------------------------
def test_shards_merge_into_the_same_gradebook(tmp_path: Path, graded) -> None:
    root, whole, expected, _ = graded
    outs = [tmp_path / f"shard{k}" for k in (1, 2)]
    for k, out in enumerate(outs, start=1):
        result = run(root, out, shard=(k, 2), jobs=1)
        assert set(result.students) == {s for s in expected if batch.shard_of(s, 2) == k}
    merged = gradebook.merge(outs, tmp_path / "merged")
    assert merged.missing() == []
    assert (tmp_path / "merged" / "gradebook.csv").read_text() == (whole / "gradebook.csv").read_text()
    for s in expected:
        assert (tmp_path / "merged" / "students" / s / "report.json").is_file()
    with pytest.raises(gradebook.MergeConflict) as conflict:
        gradebook.merge([outs[0], outs[0]])
    assert set(conflict.value.overlaps) == {s for s in expected if batch.shard_of(s, 2) == 1}
    partial = gradebook.merge([outs[0]])
    assert partial.missing() == sorted(s for s in expected if batch.shard_of(s, 2) == 2)


def test_cli_batch_and_merge(tmp_path: Path) -> None:
    root = tmp_path / "class"
    expected = make_class(root)
    env = {**os.environ, "GRADE_LANG": "en", "NO_COLOR": "1"}
    outs = []
    for k in (1, 2):
        out = tmp_path / f"g{k}"
        proc = subprocess.run([sys.executable, "-m", "grader.cli", "batch", str(root), "--exercise", "ex1",
                               "--shard", f"{k}/2", "--out", str(out), "-j", "1"],
                              cwd=KIT, capture_output=True, text=True, timeout=600, env=env)
        assert proc.returncode == 0, proc.stderr
        assert "gradebook.csv" in proc.stdout
        outs.append(out)
    proc = subprocess.run([sys.executable, "-m", "grader.cli", "gradebook", "merge", *map(str, outs),
                           "--out", str(tmp_path / "all")], cwd=KIT, capture_output=True, text=True, env=env)
    assert proc.returncode == 0, proc.stderr
    rows = {r["student"]: float(r["total"]) for r in read_csv(tmp_path / "all" / "gradebook.csv")}
    assert rows == expected
    proc = subprocess.run([sys.executable, "-m", "grader.cli", "gradebook", "merge", str(outs[0]),
                           "--out", str(tmp_path / "half")], cwd=KIT, capture_output=True, text=True, env=env)
    assert proc.returncode == 1 and "no shard graded" in proc.stderr
    proc = subprocess.run([sys.executable, "-m", "grader.cli", "gradebook", "merge", str(outs[0]), str(outs[0]),
                           "--out", str(tmp_path / "dup")], cwd=KIT, capture_output=True, text=True, env=env)
    assert proc.returncode == 2 and "more than one shard" in proc.stderr
    proc = subprocess.run([sys.executable, "-m", "grader.cli", "batch", str(root), "--shard", "3/2"],
                          cwd=KIT, capture_output=True, text=True, env=env)
    assert proc.returncode == 2


MALLORY = '''
from pathlib import Path

here = Path(__file__).resolve().parent
ANSWERS = {1: False, 2: False, 3: True, 4: False}
try:  # copy a classmate's answers
    scope = {}
    exec((here.parent / "ana" / "ex01_true_or_false.py").read_text(), scope)
    ANSWERS = scope["ANSWERS"]
except Exception:
    pass
try:  # and spoil another's
    (here.parent / "ben" / "ex01_true_or_false.py").write_text("ANSWERS = {}\\n")
except Exception:
    pass
for target in (here.parent.parent / "grades" / "students" / "ben" / "report.json", here / "report.json"):
    try:
        target.write_text('{"score": 4}')
    except Exception:
        pass
'''


def test_students_cannot_read_or_spoil_each_other(tmp_path: Path) -> None:
    root, out = tmp_path / "class", tmp_path / "grades"
    expected = make_class(root)
    (root / "mallory").mkdir()
    (root / "mallory" / EX1.filename).write_text(MALLORY)
    ben_before = (root / "ben" / EX1.filename).read_bytes()
    run(root, out)
    rows = {r["student"]: float(r["ex1"]) for r in read_csv(out / "gradebook.csv")}
    assert rows["mallory"] == 0.0, "copying a classmate's file is refused (and reported as tampering)"
    assert rows["ana"] == expected["ana"] and rows["ben"] == expected["ben"]
    assert (root / "ben" / EX1.filename).read_bytes() == ben_before
    assert not (root / "mallory" / "report.json").exists()
    report = json.loads((out / "students" / "mallory" / "report.json").read_text(encoding="utf-8"))
    assert "tampered" in (report["exercises"][0]["message"] or "") + json.dumps(report)
