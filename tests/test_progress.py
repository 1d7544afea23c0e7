"""Progress is kept per exercise with a fingerprint of its checks: it survives kit updates,
and an exercise whose checks changed is shown as "re-check" instead of a stale score."""

from __future__ import annotations

from pathlib import Path

from grader.catalog import discover
from grader.progress import Progress, checks_fingerprint
from kit_copy import EX1_ONE_WRONG, EX1_SOLVED, clone_exercise, grade_in, make_kit


def _row(listing: str, ex_id: str) -> str:
    return next(line for line in listing.splitlines() if f" {ex_id} " in line)


def test_checks_changed_marks_recheck_then_regrading_clears_it(tmp_path: Path) -> None:
    kit = make_kit(tmp_path / "kit")
    (kit / "exercises" / "ex01_true_or_false.py").write_text(EX1_SOLVED)
    assert grade_in(kit, "ex1").returncode == 0
    listing = grade_in(kit, "list").stdout
    assert "✓ 4/4" in _row(listing, "ex1")

    # A kit update changes ex1's check module: the old score no longer means anything.
    check = kit / "checks" / "test_ex01_true_or_false.py"
    check.write_text(check.read_text() + "\n# updated: stricter messages\n")
    listing = grade_in(kit, "list").stdout
    assert "re-check" in _row(listing, "ex1") and "4/4" not in _row(listing, "ex1")
    assert "re-check" in grade_in(kit, "list", "--lang", "ja").stdout.replace("要再採点", "re-check")

    assert grade_in(kit, "ex1").returncode == 0
    assert "✓ 4/4" in _row(grade_in(kit, "list").stdout, "ex1")


def test_metadata_change_also_marks_recheck_and_other_exercises_keep_their_score(tmp_path: Path) -> None:
    kit = make_kit(tmp_path / "kit")
    clone_exercise(kit, "ex01_true_or_false", "ex02_true_or_false_again")
    (kit / "exercises" / "ex01_true_or_false.py").write_text(EX1_SOLVED)
    (kit / "exercises" / "ex02_true_or_false_again.py").write_text(EX1_ONE_WRONG)
    assert grade_in(kit, "all").returncode == 1
    listing = grade_in(kit, "list").stdout
    assert "✓ 4/4" in _row(listing, "ex1") and "3/4" in _row(listing, "ex2")
    assert "next: ex2" in listing

    meta = kit / "checks" / "ex02_true_or_false_again.toml"
    meta.write_text(meta.read_text() + '\n[[hints]]\nja = "もう一つ"\nen = "one more"\n')
    listing = grade_in(kit, "list").stdout
    assert "re-check" in _row(listing, "ex2")
    assert "✓ 4/4" in _row(listing, "ex1")


def test_progress_api(tmp_path: Path) -> None:
    kit = make_kit(tmp_path / "kit")
    clone_exercise(kit, "ex01_true_or_false", "ex02_true_or_false_again")
    ex1, ex2 = discover(kit)
    store = Progress(tmp_path / "state" / "progress.json")
    assert store.status(ex1) == ("new", {})
    assert store.first_unfinished([ex1, ex2]) == ex1
    store.record(ex1, 4.0, 4.0, True)
    store.record(ex2, 1.0, 4.0, False)
    store.save()

    again = Progress(tmp_path / "state" / "progress.json")  # it is on disk
    assert again.status(ex1)[0] == "passed" and again.status(ex2)[0] == "partial"
    assert again.first_unfinished([ex1, ex2]) == ex2
    assert again.first_unfinished([ex1, ex2], also_passed={"ex2"}) is None
    assert again.data["exercises"]["ex1"]["checks"] == checks_fingerprint(ex1)

    again.forget_score(ex1)  # what `grade reset` does: the score is gone, the pass is remembered
    assert again.status(ex1)[0] == "new" and again.ever_passed(ex1)

    ex1.check_path.write_text(ex1.check_path.read_text() + "\n# changed\n")
    assert not again.ever_passed(ex1)  # a pass under other checks does not count
    again.record(ex2, 4.0, 4.0, True)
    assert again.status(ex2)[0] == "passed"


def test_a_fix_exercise_is_not_fixed_yet_until_it_passes(tmp_path: Path) -> None:
    """A `kind = "fix"` exercise starts from code that runs and scores a little: `grade list`
    and the progress record call it "not fixed yet" (with its score once graded), never "not
    graded" nor a plain partial score; passing it is passing."""
    kit = make_kit(tmp_path / "kit")
    meta = kit / "checks" / "ex01_true_or_false.toml"
    meta.write_text(meta.read_text().replace("\n[[hints]]", '\nkind = "fix"\n\n[[hints]]', 1))
    [ex1] = discover(kit)
    assert ex1.is_fix
    store = Progress(tmp_path / "state" / "progress.json")
    assert store.status(ex1) == ("unfixed", {})
    store.record(ex1, 1.0, 4.0, False)
    assert store.status(ex1)[0] == "unfixed" and store.first_unfinished([ex1]) == ex1
    store.record(ex1, 4.0, 4.0, True)
    assert store.status(ex1)[0] == "passed"

    env = {"GRADE_STATE_DIR": str(tmp_path / "listing")}
    row = _row(grade_in(kit, "list", env=env).stdout, "ex1")
    assert "not fixed yet" in row and "not graded" not in row
    (kit / "exercises" / "ex01_true_or_false.py").write_text(EX1_ONE_WRONG)
    assert grade_in(kit, "ex1", env=env).returncode == 1
    assert "not fixed yet 3/4" in _row(grade_in(kit, "list", env=env).stdout, "ex1")
    assert "未修正 3/4" in _row(grade_in(kit, "list", "--lang", "ja", env=env).stdout, "ex1")
    report = grade_in(kit, "ex1", env=env).stdout
    assert "not fixed yet: the code runs, but the failing checks below still find its bugs" in report
    (kit / "exercises" / "ex01_true_or_false.py").write_text(EX1_SOLVED)
    assert grade_in(kit, "ex1", env=env).returncode == 0
    assert "✓ 4/4" in _row(grade_in(kit, "list", env=env).stdout, "ex1")


def test_unreadable_progress_file_starts_afresh(tmp_path: Path) -> None:
    path = tmp_path / "progress.json"
    path.write_text("{not json")
    store = Progress(path)
    assert store.data == {"exercises": {}}


def test_terminal_output_colour_and_progress_bar_only_on_a_terminal(tmp_path: Path) -> None:
    """`grade all` in a terminal: colours and a progress bar (on stderr); NO_COLOR or a pipe:
    plain text, no escape sequences, nothing on stderr."""
    import os
    import sys

    import pexpect

    kit = make_kit(tmp_path / "kit")
    clone_exercise(kit, "ex01_true_or_false", "ex02_true_or_false_again")
    env = {**os.environ, "GRADE_LANG": "en", "TERM": "xterm"}
    env.pop("NO_COLOR", None)
    out = pexpect.run(f"{sys.executable} -m grader.cli all", cwd=str(kit), env=env, encoding="utf-8", timeout=300)
    assert "\x1b[31m" in out or "\x1b[1;31m" in out  # red for the failing stubs
    assert "0/2" in out or "1/2" in out  # the bar's "done/total" while grading
    assert "total" in out

    plain = pexpect.run(f"{sys.executable} -m grader.cli all", cwd=str(kit), env={**env, "NO_COLOR": "1"},
                        encoding="utf-8", timeout=300)
    assert "\x1b[" not in plain and "total" in plain

    piped = grade_in(kit, "all")
    assert "\x1b[" not in piped.stdout and piped.stderr == "" and "total" in piped.stdout
