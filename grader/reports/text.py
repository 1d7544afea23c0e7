"""`--format text` (the default): what a learner reads in the terminal.

Coloured with rich when writing to a terminal; plain when piped or when `NO_COLOR` is set.
Tracebacks and captured output appear only with `-v`.
"""

from __future__ import annotations

import io

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from grader.i18n import Lang, T
from grader.results import CheckResult, ExerciseResult, Report, full_message

UI = {
    "passed": T(ja="合格", en="passed"),
    "failed": T(ja="不合格", en="failed"),
    "error": T(ja="エラー", en="error"),
    "skipped": T(ja="スキップ", en="skipped"),
    "total": T(ja="合計", en="total"),
    "score": T(ja="得点", en="score"),
    "exercise": T(ja="課題", en="exercise"),
    "status": T(ja="状態", en="status"),
    "output": T(ja="あなたのコードの出力", en="output of your code"),
    "traceback": T(ja="トレースバック", en="traceback"),
    "all_passed": T(ja="すべてのチェックに合格しました！", en="All checks passed!"),
    "next_hint": T(ja="ヒント: grade hint {id}", en="hint: grade hint {id}"),
    "missing": T(ja="ファイルなし", en="missing"),
    "timeout": T(ja="時間切れ", en="timed out"),
    "graded": T(ja="採点済み", en="graded"),
}
_STYLE = {"passed": "green", "failed": "red", "error": "red", "skipped": "yellow"}
_MARK = {"passed": "✓", "failed": "✗", "error": "!", "skipped": "-"}


def _points(value: float) -> str:
    return f"{value:g}"


def _check_lines(console: Console, check: CheckResult, lang: Lang, verbose: bool) -> None:
    style = _STYLE[check.status]
    pts = f"{_points(check.points)}/{_points(check.counted_max)}"
    console.print(f"  [{style}]{_MARK[check.status]}[/] {escape(check.name)} [dim]({pts})[/]")
    if check.status != "passed":
        message = full_message(check, lang)
        if message:
            for line in message.splitlines():
                console.print(f"      {escape(line)}", highlight=False)
    if verbose and check.output.strip():
        console.print(f"      [dim]── {UI['output'].render(lang)} ──[/]")
        for line in check.output.rstrip().splitlines()[:60]:
            console.print(f"      {escape(line)}", highlight=False)
    if verbose and check.traceback and check.status in ("failed", "error"):
        console.print(f"      [dim]── {UI['traceback'].render(lang)} ──[/]")
        for line in check.traceback.rstrip().splitlines()[-40:]:
            console.print(f"      [dim]{escape(line)}[/]", highlight=False)


def render_exercise(console: Console, ex: ExerciseResult, lang: Lang, verbose: bool) -> None:
    colour = "green" if ex.passed else ("yellow" if ex.score > 0 else "red")
    console.print(
        f"[bold]{ex.id}[/] {escape(ex.title.render(lang))}  "
        f"[{colour}]{_points(ex.score)}/{_points(ex.max_score)}[/] [dim]({ex.duration_s:.1f} s)[/]"
    )
    if ex.message is not None:
        for line in ex.message.render(lang).splitlines():
            console.print(f"  [red]{escape(line)}[/]", highlight=False)
    for check in ex.checks:
        if ex.status in ("missing", "error") and check.status == "failed" and ex.message is not None:
            continue  # one import message says it for all of them
        _check_lines(console, check, lang, verbose)
    if ex.passed:
        console.print(f"  [green]{UI['all_passed'].render(lang)}[/]")
    elif ex.status == "graded":
        console.print(f"  [dim]{UI['next_hint'].render(lang).format(id=ex.id)}[/]")


def render(report: Report, lang: Lang, verbose: bool = False, *, color: bool = False, width: int = 100) -> str:
    buffer = io.StringIO()
    # force_jupyter=False: this renders to a string, also inside a notebook (grader.check)
    console = Console(file=buffer, force_terminal=color, no_color=not color, width=width, force_jupyter=False,
                      highlight=False, color_system="standard" if color else None)
    for i, ex in enumerate(report.exercises):
        if i:
            console.print()
        render_exercise(console, ex, lang, verbose)
    if len(report.exercises) > 1:
        console.print()
        table = Table(title=UI["score"].render(lang), show_lines=False)
        table.add_column(UI["exercise"].render(lang))
        table.add_column(UI["status"].render(lang))
        table.add_column(UI["score"].render(lang), justify="right")
        for ex in report.exercises:
            status = "passed" if ex.passed else ex.status if ex.status != "graded" else "failed"
            label = UI[status].render(lang) if status in UI else status
            table.add_row(f"{ex.id} {ex.title.render(lang)}", f"[{_STYLE.get(status, 'red')}]{label}[/]",
                          f"{_points(ex.score)}/{_points(ex.max_score)}")
        table.add_row(f"[bold]{UI['total'].render(lang)}[/]", "", f"[bold]{_points(report.score)}/{_points(report.max_score)}[/]")
        console.print(table)
    return buffer.getvalue()
