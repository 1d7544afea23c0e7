"""`grade reset` brings the original stub back (the learner's version kept as a backup);
`grade solution` / `grade diff` show the reference once the exercise passes."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from grader import solutions
from grader.catalog import discover
from kit_copy import EX1_ONE_WRONG, EX1_SOLVED, grade_in, make_kit

STUB = "exercises/ex01_true_or_false.py"


def _backups() -> list[Path]:
    return sorted((Path(os.environ["GRADE_STATE_DIR"]) / "backups").glob("*.py"))


def _git(kit: Path, *args: str) -> None:
    subprocess.run(["git", "-C", str(kit), *args], check=True, capture_output=True,
                   env={**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.com",
                        "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.com"})


def test_reset_outside_git_restores_the_stub_seen_first(tmp_path: Path) -> None:
    kit = make_kit(tmp_path / "kit")
    original = (kit / STUB).read_text()
    assert grade_in(kit, "list").returncode == 0  # the first grader run records the untouched stubs
    (kit / STUB).write_text(EX1_ONE_WRONG)
    assert grade_in(kit, "ex1").returncode == 1
    proc = grade_in(kit, "reset", "ex1")
    assert proc.returncode == 0, proc.stderr
    assert (kit / STUB).read_text() == original
    [backup] = _backups()
    assert backup.read_text() == EX1_ONE_WRONG and backup.name.startswith("ex01_true_or_false-")
    assert str(backup) in proc.stdout
    assert "not graded" in grade_in(kit, "list").stdout  # the old score described the old file
    assert "original stub" in grade_in(kit, "reset", "ex1").stdout  # idempotent, no second backup
    assert len(_backups()) == 1


def test_reset_in_git_survives_the_learner_committing_their_work(tmp_path: Path) -> None:
    kit = make_kit(tmp_path / "kit")
    original = (kit / STUB).read_text()
    _git(kit, "init", "-q")
    _git(kit, "add", "-A")
    _git(kit, "commit", "-qm", "kit")
    assert grade_in(kit, "ex1").returncode == 1  # grading records the pristine stub
    (kit / STUB).write_text(EX1_ONE_WRONG)
    _git(kit, "commit", "-qam", "my attempt")  # HEAD is now the learner's version
    assert grade_in(kit, "list").returncode == 0  # and must not replace the recorded stub
    assert grade_in(kit, "reset", "ex1").returncode == 0
    assert (kit / STUB).read_text() == original


def test_reset_in_git_without_a_snapshot_uses_head(tmp_path: Path) -> None:
    kit = make_kit(tmp_path / "kit")
    original = (kit / STUB).read_text()
    _git(kit, "init", "-q")
    _git(kit, "add", "-A")
    _git(kit, "commit", "-qm", "kit")
    (kit / STUB).write_text(EX1_ONE_WRONG)  # edited before the grader ever ran
    proc = grade_in(kit, "reset", "ex1")
    assert proc.returncode == 0 and "git HEAD" in proc.stdout
    assert (kit / STUB).read_text() == original


def test_reset_of_a_submission_folder_and_when_no_stub_is_known(tmp_path: Path) -> None:
    kit = make_kit(tmp_path / "kit")
    original = (kit / STUB).read_text()
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "ex01_true_or_false.py").write_text(EX1_SOLVED)
    assert grade_in(kit, "reset", "ex1", "--submission", str(mine)).returncode == 0
    assert (mine / "ex01_true_or_false.py").read_text() == original
    assert _backups()[0].read_text() == EX1_SOLVED

    bare = make_kit(tmp_path / "bare")
    (bare / STUB).unlink()  # never seen, not in git: nothing to restore
    state = {"GRADE_STATE_DIR": str(tmp_path / "bare-state")}
    proc = grade_in(bare, "reset", "ex1", env=state)
    assert proc.returncode == 1 and "not available" in proc.stderr
    assert "見つかりません" in grade_in(bare, "reset", "ex1", "--lang", "ja", env=state).stderr


def test_solution_and_diff_wait_for_a_pass_unless_forced(tmp_path: Path) -> None:
    kit = make_kit(tmp_path / "kit")
    reference = (kit / "reference" / "ex01_true_or_false.py").read_text()
    locked = grade_in(kit, "solution", "ex1")
    assert locked.returncode == 1 and locked.stdout == ""
    assert "grade hint ex1" in locked.stderr and "--force" in locked.stderr
    assert "まだ合格していません" in grade_in(kit, "diff", "ex1", "--lang", "ja").stderr

    forced = grade_in(kit, "solution", "ex1", "--force")
    assert forced.returncode == 0 and forced.stdout.strip() == reference.strip()
    assert "before passing" in forced.stderr  # a word on learning

    (kit / STUB).write_text(EX1_SOLVED)
    assert grade_in(kit, "ex1").returncode == 0
    shown = grade_in(kit, "solution", "ex1")
    assert shown.returncode == 0 and shown.stdout.strip() == reference.strip() and shown.stderr == ""
    diff = grade_in(kit, "diff", "ex1")
    assert diff.returncode == 0
    assert "--- exercises/ex01_true_or_false.py" in diff.stdout
    assert "+++ reference/ex01_true_or_false.py" in diff.stdout
    assert "-ANSWERS = {1: True, 2: True, 3: False, 4: True}" in diff.stdout

    assert grade_in(kit, "reset", "ex1").returncode == 0  # starting over keeps the solution unlocked
    assert grade_in(kit, "solution", "ex1").returncode == 0
    (kit / STUB).write_text(reference)
    assert "identical" in grade_in(kit, "diff", "ex1").stdout


def test_git_blob_id_matches_git(tmp_path: Path) -> None:
    path = tmp_path / "f.py"
    path.write_bytes(b"x = 1\n")
    out = subprocess.run(["git", "hash-object", str(path)], capture_output=True, text=True, check=True)
    assert solutions.git_blob_id(path.read_bytes()) == out.stdout.strip()


def test_pristine_stub_raises_when_nothing_is_known(tmp_path: Path) -> None:
    kit = make_kit(tmp_path / "kit")
    [ex] = discover(kit)
    with pytest.raises(solutions.NoPristineStub):
        solutions.pristine_stub(ex, kit)
    solutions.remember_stubs([ex], kit)
    assert solutions.pristine_stub(ex, kit) == (ex.stub_path.read_bytes(), "snapshot")
