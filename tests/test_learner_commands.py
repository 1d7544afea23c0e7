"""The commands around the feedback: `grade list` speaks the learner's language and never
cuts a title, `grade hint` says when the last hint was shown, `grade diff` compares code
and not the task statement."""

from __future__ import annotations

from pathlib import Path

from kit_copy import grade_in, make_kit

from grader import catalog
from grader.solutions import diff_text


def test_list_says_difficulty_and_framework_in_japanese_and_keeps_titles_whole(tmp_path: Path) -> None:
    kit = make_kit(tmp_path / "kit")
    listing = grade_in(kit, "list", "--lang", "ja").stdout
    row = next(line for line in listing.splitlines() if " ex1 " in line)
    assert "やさしい" in row and "なし" in row and "easy" not in row
    ex1 = next(e for e in catalog.discover() if e.id == "ex1")
    assert ex1.title.ja in row  # whole, on one line, even piped


def test_the_last_hint_says_it_is_the_last(tmp_path: Path) -> None:
    kit = make_kit(tmp_path / "kit")
    total = len(next(e for e in catalog.discover() if e.id == "ex1").hints)
    outputs = [grade_in(kit, "hint", "ex1", "--lang", "en").stdout for _ in range(total)]
    assert all("last hint" not in out for out in outputs[:-1])
    assert "that was the last hint" in outputs[-1]


def test_diff_compares_the_code_not_the_task_statement(tmp_path: Path) -> None:
    ex = next(e for e in catalog.discover() if e.id == "ex2")
    folder = tmp_path / "mine"
    folder.mkdir()
    stub = (catalog.KIT_ROOT / "exercises" / ex.filename).read_text(encoding="utf-8")
    (folder / ex.filename).write_text(stub, encoding="utf-8")
    text = diff_text(ex, folder)
    docstring_line = next(line for line in stub.splitlines()[1:] if line.strip())
    assert docstring_line not in text  # the task statement is not "deleted"
    assert "+        optimizer.zero_grad()" in text
    (folder / ex.filename).write_text("def train(:\n", encoding="utf-8")  # does not parse: compared whole
    assert "-def train(:" in diff_text(ex, folder)


def test_watch_keeps_the_hint_when_the_exercise_has_passed() -> None:
    import io

    from rich.console import Console

    from grader.i18n import T
    from grader.progress import Progress
    from grader.results import CheckResult, ExerciseResult
    from grader.watch import WatchSession

    ex1 = next(e for e in catalog.discover() if e.id == "ex1")
    session = WatchSession([ex1], ex1, catalog.KIT_ROOT / "exercises", "en",
                           console=Console(file=io.StringIO(), width=100))
    session.result = ExerciseResult("ex1", ex1.slug, T.same("t"), "graded", [CheckResult("a", "passed", 1)])
    assert session.on_key("h", None)
    assert Progress().hints_shown(ex1) == 0 and session.banner == "passed already, so no hint was used (n: next exercise)"
    session.result = ExerciseResult("ex1", ex1.slug, T.same("t"), "graded", [CheckResult("a", "failed", 1)])
    assert session.on_key("h", None)
    assert Progress().hints_shown(ex1) == 1


ANSWERS = {1: True, 2: True, 3: False, 4: True}


def test_check_refuses_what_a_plain_prompt_defines_instead_of_grading_the_file() -> None:
    """A class typed at a plain `python` prompt has no source to read: grading the stub
    in its place would grade something else, so check() says so and grades nothing."""
    import pytest

    from grader.notebook import CannotGrade, check

    ns: dict = {"__name__": "__main__"}
    exec("class NormalizedDataset:\n    pass\n", ns)  # noqa: S102 — as at a prompt: no file, no cell history
    with pytest.raises(CannotGrade) as info:
        check("ex3", namespace=ns, lang="en", record=False)
    assert "not graded: NormalizedDataset is defined in this session" in str(info.value)
    assert "grade ex3" in str(info.value)


def test_a_notebook_grade_is_named_as_such_in_the_list_and_a_script_sees_the_report() -> None:
    import os
    import subprocess
    import sys

    from helpers import run_grade

    script = ("from grader import check\n"
              f"check('ex1', lang='en', namespace={{'__name__': '__main__', 'ANSWERS': {ANSWERS!r}}})\n")
    proc = subprocess.run([sys.executable, "-c", script], cwd=catalog.KIT_ROOT, capture_output=True, text=True,
                          env={**os.environ}, timeout=300, check=False)
    assert "graded the notebook's definitions (ANSWERS)" in proc.stdout, proc.stderr  # printed, not lost
    row = next(line for line in run_grade("list").stdout.splitlines() if " ex1 " in line)
    assert "4/4 (notebook)" in row


def test_watch_shows_the_first_reason_with_how_many_checks_it_explains() -> None:
    import io

    from rich.console import Console

    from grader.i18n import T
    from grader.results import CheckResult, ExerciseResult
    from grader.watch import WatchSession

    ex1 = next(e for e in catalog.discover() if e.id == "ex1")
    out = io.StringIO()
    session = WatchSession([ex1], ex1, catalog.KIT_ROOT / "exercises", "en", console=Console(file=out, width=100))
    same, other = T.same("your code raised ZeroDivisionError"), T.same("something else")
    session._result(ExerciseResult("ex1", ex1.slug, T.same("t"), "graded", [
        CheckResult("a", "failed", 1, same), CheckResult("b", "failed", 1, same), CheckResult("c", "failed", 1, other)]))
    text = out.getvalue()
    assert "2 checks fail for this one reason" in text and "1 more failing check(s)" in text
