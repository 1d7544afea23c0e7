"""One cause, one entry: checks that fail for the same reason (the same message, the same
counter-example or the same wrong value) are folded under the first; parameters that
differ from the task's come first, with what the exercise adds to the textbook's answer;
lines wrap only on a terminal."""

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
    assert "2 checks fail for this one reason (0/3 points); the others are folded below" in text
    lines = text.splitlines()
    assert lines[lines.index("  ✗ a (0/1)") + 3] == "        ✗ c (0/2)"  # folded under its entry
    assert "other" in text  # a different reason keeps its own entry


def test_the_same_exception_called_from_elsewhere_is_one_cause() -> None:
    def raised(call: str) -> T:
        return RAISED + T(ja=f"\n呼び出し: {call}", en=f"\ncalled as: {call}")

    text = _report(CheckResult("a", "failed", 1, raised("f(1)")), CheckResult("b", "failed", 1, raised("f(2)")))
    assert "2 checks fail for this one reason" in text and "called as: f(1)" in text and "f(2)" not in text


def test_checks_failing_on_the_same_counter_example_share_one_entry_in_their_own_words() -> None:
    def failing(name: str, what: str, expected: str, actual: str) -> CheckResult:
        return CheckResult(name, "failed", 2, T(ja=f"{what} が違います", en=f"{what} is wrong"),
                           expected=expected, actual=actual, counterexample="losses=[nan]")

    text = _report(failing("best", "best_loss", "None", "nan"), failing("counter", "counter", "1", "0"),
                   CheckResult("other", "failed", 1, T.same("other"), counterexample="losses=[1.0]"))
    assert "2 checks fail on the same counter-example (0/4 points)" in text
    assert text.count("losses=[nan]") == 1
    assert "        ✗ counter (0/2): counter is wrong — expected 1, got 0" in text
    ja = render(Report([ExerciseResult("ex3", "demo", T.same("demo"), "graded", [
        failing("best", "best_loss", "None", "nan"), failing("counter", "counter", "1", "0")])]), "ja")
    assert "2 個のチェックが同じ反例で失敗しています（0/4 点）" in ja and "期待 1、実際 0" in ja


def test_long_lines_wrap_on_a_terminal_only() -> None:
    long = T.same("x" * 30 + " " + "y" * 150)
    ex = ExerciseResult("ex3", "demo", T.same("demo"), "graded", [CheckResult("a", "failed", 1, long)])
    piped = render(Report([ex]), "en", width=80)
    assert "      " + "x" * 30 + " " + "y" * 150 in piped.splitlines()
    terminal = render(Report([ex]), "en", width=80, wrap=True)
    assert all(len(line) <= 80 for line in terminal.splitlines())
    assert any(line.startswith("      y") for line in terminal.splitlines())  # wrapped under its indent


def test_parameters_that_differ_come_first_with_what_the_exercise_adds() -> None:
    adds = T(ja="mean と std の引数", en="the mean and std parameters")
    text = _report(CheckResult("a", "passed", 1), CheckResult("b", "failed", 2, SIGNATURE, cause="signature"),
                   CheckResult("c", "failed", 1, SIGNATURE, cause="signature"), adds=adds)
    lines = text.splitlines()
    assert lines[1].startswith("  ⚠ the parameters of your Model.__init__ differ")
    assert "This exercise adds to the textbook's answer: the mean and std parameters" in text
    assert "2 checks cannot run because of it: b, c" in text
    assert text.count("the parameters of your Model.__init__ differ") == 1
    assert "  ✗ b" not in text  # folded under the entry shown first


def test_in_japanese_each_check_says_what_it_verifies() -> None:
    checks = [CheckResult("length", "passed", 1, description_ja="len(dataset) がデータの行数 N になる"),
              CheckResult("a", "failed", 1, RAISED, description_ja="例外を出さずに値を返す"),
              CheckResult("c", "failed", 2, RAISED, description_ja="c を確かめる")]
    ex = ExerciseResult("ex3", "demo", T.same("demo"), "graded", checks)
    ja, en = render(Report([ex]), "ja"), render(Report([ex]), "en")
    assert "✓ length — len(dataset) がデータの行数 N になる (1/1)" in ja
    assert "✗ a — 例外を出さずに値を返す (0/1)" in ja and "✗ c — c を確かめる (0/2)" in ja  # the folded one too
    assert "len(dataset)" not in en and "✓ length (1/1)" in en
