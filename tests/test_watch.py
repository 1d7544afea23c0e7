"""`grade watch` in a real terminal (pexpect drives a pseudo-terminal): it grades, shows
the first failing check, re-grades when the file is saved, answers keys, and quits.

Runs on ex1 (no torch: a grading takes about a second) in a scratch folder, with the state
in GRADE_STATE_DIR, so the kit's exercises/ and the learner's progress are untouched."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pexpect

from kit_copy import EX1_ONE_WRONG, EX1_SOLVED, KIT, clone_exercise, make_kit

TIMEOUT = 90  # generous: a loaded CI machine; a grading of ex1 normally takes ~1 s


def _spawn(args: list[str], cwd: Path, log: Path, lang: str = "en") -> pexpect.spawn:
    """`grade watch ARGS` in a 50×120 pseudo-terminal; everything it draws is kept in `log`."""
    env = {**os.environ, "GRADE_LANG": lang, "TERM": "xterm"}
    env.pop("NO_COLOR", None)
    child = pexpect.spawn(sys.executable, ["-m", "grader.cli", "watch", *args], cwd=str(cwd), env=env,
                          dimensions=(50, 120), encoding="utf-8", timeout=TIMEOUT)
    child.logfile_read = open(log, "w", encoding="utf-8")  # noqa: SIM115  (closed with the child)
    return child


def _save(path: Path, text: str) -> None:
    """Save as an editor does: write a new file and rename it over the old one."""
    tmp = path.with_name(path.name + ".swp~")
    tmp.write_text(text)
    os.replace(tmp, path)


def test_watch_regrades_on_save_and_shows_the_passing_state(tmp_path: Path) -> None:
    folder = tmp_path / "work"
    folder.mkdir()
    target = folder / "ex01_true_or_false.py"
    target.write_text((KIT / "exercises" / "ex01_true_or_false.py").read_text())
    child = _spawn(["ex1", "--submission", str(folder)], KIT, tmp_path / "screen.log")
    try:
        child.expect("0/4")  # the stub
        child.expect("first failing check")
        child.expect("statement 1 is unanswered")
        child.expect(r"\[q\] quit")

        _save(target, EX1_ONE_WRONG)  # one mistake left: the screen shows it, with the idea to revisit
        child.expect("3/4")
        child.expect("the answer to statement 3 is wrong")
        child.expect("idea to revisit")

        child.send("h")  # a hint, without leaving the loop
        child.expect("hint 1/3")
        child.expect("Define-by-Run")

        target.write_text(EX1_SOLVED)  # a plain in-place write is seen too
        child.expect("4/4")
        child.expect("All checks passed!")
        child.expect("grade diff ex1")

        child.send("l")
        child.expect("press any key to go back")
        child.send(" ")
        child.expect(r"\[q\] quit")
        child.send("q")
        child.expect("watch stopped")
        child.expect(pexpect.EOF)
    finally:
        child.close(force=True)
        child.logfile_read.close()
    assert child.exitstatus == 0
    assert target.read_text() == EX1_SOLVED  # watch never writes the learner's file


def test_watch_follows_the_course_and_moves_on_when_an_exercise_passes(tmp_path: Path) -> None:
    kit = make_kit(tmp_path / "kit")
    clone_exercise(kit, "ex01_true_or_false", "ex02_true_or_false_again")
    folder = tmp_path / "work"
    folder.mkdir()
    (folder / "ex01_true_or_false.py").write_text(EX1_SOLVED)
    second = folder / "ex02_true_or_false_again.py"
    second.write_text(EX1_ONE_WRONG)
    child = _spawn(["--submission", str(folder)], kit, tmp_path / "screen.log", lang="ja")
    try:
        child.expect("ex1 に合格しました ✓ — 次は ex2 です")
        child.expect("3/4")
        child.expect("文 3 の答えが違います")
        _save(second, EX1_SOLVED)
        child.expect("すべての課題に合格しました")
        child.send("q")
        child.expect(pexpect.EOF)
    finally:
        child.close(force=True)
        child.logfile_read.close()
    assert child.exitstatus == 0
    listing = subprocess.run([sys.executable, "-m", "grader.cli", "list"], cwd=kit, capture_output=True, text=True,
                             env={**os.environ, "NO_COLOR": "1"}).stdout
    assert listing.count("✓ 4/4") == 2  # watch records progress like `grade exN`


def test_watch_reads_keys_from_a_pipe(tmp_path: Path) -> None:
    """Without a terminal: letters one per line, plain output (no colour, no screen clearing)."""
    kit = make_kit(tmp_path / "kit")
    folder = tmp_path / "work"
    folder.mkdir()
    (folder / "ex01_true_or_false.py").write_text(EX1_SOLVED)
    proc = subprocess.Popen([sys.executable, "-m", "grader.cli", "watch", "ex1", "--submission", str(folder)],
                            cwd=kit, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env={**os.environ, "GRADE_LANG": "en"})
    time.sleep(0.5)
    out, err = proc.communicate("n\nq\n", timeout=TIMEOUT)
    assert proc.returncode == 0, err
    assert "4/4" in out and "All checks passed!" in out and "watch stopped" in out
    assert "this is the last exercise" in out  # the n key, answered
    assert "\x1b[" not in out


def test_watch_unknown_exercise_is_a_usage_error() -> None:
    proc = subprocess.run([sys.executable, "-m", "grader.cli", "watch", "ex99"], cwd=KIT, capture_output=True,
                          text=True, timeout=60)
    assert proc.returncode == 2 and "ex99" in proc.stderr
