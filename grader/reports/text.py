"""`--format text` (the default): what a learner reads in the terminal.

Coloured with rich when writing to a terminal; plain when piped or when `NO_COLOR` is set.
Tracebacks and captured output appear only with `-v`.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field

from rich.console import Console
from rich.markup import escape
from rich.padding import Padding
from rich.table import Table

from grader.i18n import Lang, T
from grader.plugin.causes import CALLED_LABEL
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
    "group_cause": T(ja="{n} 個のチェックがこの 1 つの原因で失敗しています（{points} 点）。ほかのチェックは下にまとめました",
                     en="{n} checks fail for this one reason ({points} points); the others are folded below"),
    "group_input": T(ja="{n} 個のチェックが同じ反例で失敗しています（{points} 点）。まずこの入力を直しましょう",
                     en="{n} checks fail on the same counter-example ({points} points): fix this input first"),
    "group_value": T(ja="{n} 個のチェックが同じ誤った値で失敗しています（{points} 点）",
                     en="{n} checks fail with the same wrong value ({points} points)"),
    "value_note": T(ja="期待 {expected}、実際 {actual}", en="expected {expected}, got {actual}"),
    "textbook_adds": T(ja="この課題は教科書の解答例に次を加えています:", en="This exercise adds to the textbook's answer:"),
    "stopped": T(ja="このため {n} 個のチェックが実行できません: {names}", en="{n} checks cannot run because of it: {names}"),
}
_STYLE = {"passed": "green", "failed": "red", "error": "red", "skipped": "yellow", "unfixed": "yellow"}
_MARK = {"passed": "✓", "failed": "✗", "error": "!", "skipped": "-"}


def _points(value: float) -> str:
    return f"{value:g}"


@dataclass
class Entry:
    """One reason and the failing checks it explains: the lead check's feedback is shown
    in full; the others are listed under it, folded. `kind` says what they share: the
    same message (one exception at one place, one unmet rule), the same counter-example,
    or the same wrong value."""

    lead: CheckResult
    others: list[CheckResult] = field(default_factory=list)
    kind: str = "cause"  # cause | input | value

    @property
    def checks(self) -> list[CheckResult]:
        return [self.lead, *self.others]


def _keys(check: CheckResult, lang: Lang) -> list[tuple[str, str]]:
    """What a failing check may share with others, most telling first."""
    help = check.help.render(lang) if check.help else ""
    message = "\n".join(line for line in check.message.render(lang).splitlines()  # type: ignore[union-attr]
                         if not line.startswith(CALLED_LABEL.render(lang)))  # the same cause, called from elsewhere
    keys = [("cause", f"{message}\0{help}")]
    example = check.counterexample.render(lang) if isinstance(check.counterexample, T) else check.counterexample
    if example:
        keys.append(("input", example))
    if check.expected is not None and check.actual is not None:
        keys.append(("value", f"{check.expected}\0{check.actual}\0{help}"))
    return keys


def group(checks: list[CheckResult], lang: Lang) -> list[Entry]:
    """Failing checks grouped by reason, in the order of each group's first check: one
    cause, one entry. A check joins the first group that shares one of its keys (`_keys`)."""
    entries: list[Entry] = []
    owner: dict[tuple[str, str], Entry] = {}
    for check in checks:
        if check.status not in ("failed", "error") or check.message is None:
            continue
        keys = _keys(check, lang)
        entry = next((owner[k] for k in keys if k in owner), None)
        if entry is None:
            entry = Entry(check)
            entries.append(entry)
        else:
            if not entry.others:
                entry.kind = next(kind for kind, _ in keys if owner.get((kind, _)) is entry)
            entry.others.append(check)
        for k in keys:
            owner.setdefault(k, entry)
    return entries


def _points_of(checks: list[CheckResult]) -> str:
    return f"{_points(sum(c.points for c in checks))}/{_points(sum(c.counted_max for c in checks))}"


def _say(console: Console, text: str, indent: int, style: str = "", wrap: bool = False) -> None:
    """Print `text` indented; on a terminal, long lines wrap under the indent, elsewhere
    (a pipe, a file, a notebook) they are not wrapped at all."""
    markup = f"[{style}]{escape(text)}[/]" if style else escape(text)
    if wrap:
        console.print(Padding(markup, (0, 0, 0, indent)), highlight=False)
    else:
        console.print(" " * indent + markup, highlight=False, soft_wrap=True)


def _signature_first(console: Console, ex: ExerciseResult, entries: list[Entry], lang: Lang, wrap: bool) -> set[str]:
    """Parameters that differ from the task's (a textbook answer pasted as printed) come
    first, once, with what the exercise adds to the textbook; the checks they stop are
    folded under this entry. Returns the names folded."""
    entry = next((e for e in entries if e.lead.cause == "signature"), None)
    if entry is None:
        return set()
    lead, names = entry.lead, [c.name for c in entry.checks]
    _say(console, f"⚠ {lead.message.render(lang) if lead.message else ''}", 2, "red", wrap)
    if ex.textbook_adds is not None:
        _say(console, f"{UI['textbook_adds'].render(lang)} {ex.textbook_adds.render(lang)}", 4, "", wrap)
    elif lead.help is not None:  # the generic idea, where the exercise does not say what it adds
        _say(console, lead.help.render(lang), 4, "", wrap)
    _say(console, UI["stopped"].format(n=len(names), names=", ".join(names)).render(lang), 4, "dim", wrap)
    return set(names)


def _entry_lines(console: Console, entry: Entry, lang: Lang, wrap: bool) -> None:
    """A failing check's feedback; for a group, how many checks share it, then the others folded."""
    lead = entry.lead
    console.print(f"  [{_STYLE[lead.status]}]{_MARK[lead.status]}[/] {escape(lead.labelled(lang))} "
                  f"[dim]({_points(lead.points)}/{_points(lead.counted_max)})[/]", soft_wrap=not wrap)
    if entry.others:
        summary = UI[f"group_{entry.kind}"].format(n=len(entry.checks), points=_points_of(entry.checks))
        _say(console, summary.render(lang), 6, "bold", wrap)
    for line in (full_message(lead, lang) or "").splitlines():
        _say(console, line, 6, "", wrap)
    for other in entry.others:
        pts = f"({_points(other.points)}/{_points(other.counted_max)})"
        text = f"{_MARK[other.status]} {other.labelled(lang)} {pts}"
        if entry.kind != "cause" and other.message is not None:  # same input or value, its own words
            said = other.message.render(lang).splitlines()[0]
            text += f": {said}" + (_value_note(other, lang) if entry.kind == "input" else "")
        _say(console, text, 8, "dim", wrap)


def _value_note(check: CheckResult, lang: Lang) -> str:
    if check.expected is None or check.actual is None or len(check.expected + check.actual) > 60 \
            or "\n" in check.expected + check.actual:  # a long value is in the lead's lines already
        return ""
    return " — " + UI["value_note"].format(expected=check.expected, actual=check.actual).render(lang)


def _check_lines(console: Console, check: CheckResult, lang: Lang, verbose: bool, wrap: bool) -> None:
    """One check on its own (passed, skipped, or any check with -v): its line and feedback."""
    style = _STYLE[check.status]
    console.print(f"  [{style}]{_MARK[check.status]}[/] {escape(check.labelled(lang))} "
                  f"[dim]({_points(check.points)}/{_points(check.counted_max)})[/]", soft_wrap=not wrap)
    if check.status != "passed":
        for line in (full_message(check, lang) or "").splitlines():
            _say(console, line, 6, "", wrap)
    if verbose and check.output.strip():
        console.print(f"      [dim]── {UI['output'].render(lang)} ──[/]")
        for line in check.output.rstrip().splitlines()[:60]:
            _say(console, line, 6, "", wrap)
    if verbose and check.traceback and check.status in ("failed", "error"):
        console.print(f"      [dim]── {UI['traceback'].render(lang)} ──[/]")
        for line in check.traceback.rstrip().splitlines()[-40:]:
            _say(console, line, 6, "dim", wrap)


def render_exercise(console: Console, ex: ExerciseResult, lang: Lang, verbose: bool, wrap: bool = False) -> None:
    colour = "green" if ex.passed else ("yellow" if ex.score > 0 else "red")
    console.print(
        f"[bold]{ex.id}[/] {escape(ex.title.render(lang))}  "
        f"[{colour}]{_points(ex.score)}/{_points(ex.max_score)}[/] [dim]({ex.duration_s:.1f} s)[/]"
    )
    if ex.message is not None:
        for line in ex.message.render(lang).splitlines():
            _say(console, line, 2, "red", wrap)
    if ex.fix and ex.status == "graded" and not ex.passed:
        _say(console, UI["unfixed_note"].render(lang), 2, "yellow", wrap)
    silent = ex.status in ("missing", "error") and ex.message is not None  # one import message says it for all
    entries = [] if verbose or silent else group(ex.checks, lang)
    folded = _signature_first(console, ex, entries, lang, wrap)
    leads = {id(e.lead): e for e in entries}
    folded |= {c.name for e in entries for c in e.others}
    for check in ex.checks:
        if silent and check.status == "failed":
            continue
        if check.name in folded:
            continue
        if id(check) in leads:
            _entry_lines(console, leads[id(check)], lang, wrap)
        else:
            _check_lines(console, check, lang, verbose, wrap)
    if ex.passed:
        console.print(f"  [green]{UI['all_passed'].render(lang)}[/]")
    elif ex.status == "graded":
        console.print(f"  [dim]{UI['next_hint'].render(lang).format(id=ex.id)}[/]")


def render(report: Report, lang: Lang, verbose: bool = False, *, color: bool = False, width: int = 100,
           wrap: bool | None = None) -> str:
    """The report as text. `wrap` (default: as `color`, i.e. on a terminal) wraps long lines
    at `width` under their indent; otherwise lines are never cut (pipes, CI logs, notebooks)."""
    wrap = color if wrap is None else wrap
    buffer = io.StringIO()
    # force_jupyter=False: this renders to a string, also inside a notebook (grader.check)
    console = Console(file=buffer, force_terminal=color, no_color=not color, width=width, force_jupyter=False,
                      highlight=False, color_system="standard" if color else None)
    for i, ex in enumerate(report.exercises):
        if i:
            console.print()
        render_exercise(console, ex, lang, verbose, wrap)
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
