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
    "unfixed": T(ja="未修正", en="not fixed yet"),
    "unfixed_note": T(ja="未修正: このコードは動きますが、下の不合格のチェックが見つけるバグがまだ残っています",
                      en="not fixed yet: the code runs, but the failing checks below still find its bugs"),
    "cause_count": T(ja="{n} 個のチェックがこの同じ原因で失敗しています（ほか: {names}）",
                     en="{n} checks fail for this one reason (also: {names})"),
    "same_cause": T(ja="{first} と同じ原因", en="same reason as {first}, above"),
    "same_as_signature": T(ja="最初に示した引数の違いが原因", en="stopped by the parameters shown first"),
    "textbook_adds": T(ja="この課題は教科書の解答例に次を加えています:", en="This exercise adds to the textbook's answer:"),
    "stopped": T(ja="このため {n} 個のチェックが実行できません: {names}", en="{n} checks cannot run because of it: {names}"),
}
_STYLE = {"passed": "green", "failed": "red", "error": "red", "skipped": "yellow", "unfixed": "yellow"}
_MARK = {"passed": "✓", "failed": "✗", "error": "!", "skipped": "-"}


def _points(value: float) -> str:
    return f"{value:g}"


def _causes(checks: list[CheckResult], lang: Lang) -> dict[str, list[str]]:
    """Failing checks grouped by what their message says (the same exception at the same
    place, the same unmet rule): one cause, one entry. Keyed by the first check's name."""
    first: dict[str, str] = {}
    groups: dict[str, list[str]] = {}
    for c in checks:
        if c.status in ("failed", "error") and c.message is not None:
            key = c.message.render(lang) + "\0" + (c.help.render(lang) if c.help else "")
            groups.setdefault(first.setdefault(key, c.name), []).append(c.name)
    return {lead: names for lead, names in groups.items() if len(names) > 1}


def _signature_first(console: Console, ex: ExerciseResult, causes: dict[str, list[str]], lang: Lang) -> None:
    """Parameters that differ from the task's (a textbook answer pasted as printed) come
    first, once, with what the exercise adds to the textbook; the checks they stop are
    folded under this entry instead of repeating it."""
    lead = next((c for c in ex.checks if c.cause == "signature" and c.status in ("failed", "error")), None)
    if lead is None:
        return
    names = causes.get(lead.name, [lead.name])
    causes[SIGNATURE] = names  # every one of them folds under this entry
    causes.pop(lead.name, None)
    console.print(f"  [red]⚠ {escape(lead.message.render(lang) if lead.message else '')}[/]", highlight=False)
    if ex.textbook_adds is not None:
        console.print(f"    {escape(UI['textbook_adds'].render(lang))} {escape(ex.textbook_adds.render(lang))}", highlight=False)
    elif lead.help is not None:  # the generic idea, where the exercise does not say what it adds
        console.print(f"    {escape(lead.help.render(lang))}", highlight=False)
    console.print(f"    [dim]{escape(UI['stopped'].format(n=len(names), names=', '.join(names)).render(lang))}[/]")


SIGNATURE = "\0signature"  # the key of the checks folded under the leading signature entry


def _check_lines(console: Console, check: CheckResult, lang: Lang, verbose: bool,
                 causes: dict[str, list[str]] | None = None) -> None:
    style = _STYLE[check.status]
    pts = f"{_points(check.points)}/{_points(check.counted_max)}"
    causes = causes or {}
    if not verbose and check.name in causes.get(SIGNATURE, ()):
        console.print(f"  [{style}]{_MARK[check.status]}[/] {escape(check.name)} [dim]({pts}) — "
                      f"{escape(UI['same_as_signature'].render(lang))}[/]")
        return
    lead = next((lead for lead, names in causes.items() if lead != SIGNATURE and check.name in names[1:]), None)
    if lead is not None and not verbose:  # folded under the first check with the same cause
        console.print(f"  [{style}]{_MARK[check.status]}[/] {escape(check.name)} [dim]({pts}) — "
                      f"{escape(UI['same_cause'].format(first=lead).render(lang))}[/]")
        return
    console.print(f"  [{style}]{_MARK[check.status]}[/] {escape(check.name)} [dim]({pts})[/]")
    if check.name in causes and not verbose:
        others = causes[check.name][1:]  # type: ignore[index]
        console.print(f"      [bold]{escape(UI['cause_count'].format(n=len(others) + 1, names=', '.join(others)).render(lang))}[/]")
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
    if ex.fix and ex.status == "graded" and not ex.passed:
        console.print(f"  [yellow]{escape(UI['unfixed_note'].render(lang))}[/]", highlight=False)
    causes = _causes(ex.checks, lang)
    _signature_first(console, ex, causes, lang)
    for check in ex.checks:
        if ex.status in ("missing", "error") and check.status == "failed" and ex.message is not None:
            continue  # one import message says it for all of them
        _check_lines(console, check, lang, verbose, causes)
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
            status = "passed" if ex.passed else ex.status if ex.status != "graded" else "unfixed" if ex.fix else "failed"
            label = UI[status].render(lang) if status in UI else status
            table.add_row(f"{ex.id} {ex.title.render(lang)}", f"[{_STYLE.get(status, 'red')}]{label}[/]",
                          f"{_points(ex.score)}/{_points(ex.max_score)}")
        table.add_row(f"[bold]{UI['total'].render(lang)}[/]", "", f"[bold]{_points(report.score)}/{_points(report.max_score)}[/]")
        console.print(table)
    return buffer.getvalue()
