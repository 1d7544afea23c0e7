"""`grade verify`'s report: per exercise, a catch matrix (check × subject) and a verdict.

One row per check, one column per subject: the reference (must pass everything), the stub
(must fail everything) and each mutant 1…n (● = this check catches that mutant). The
last column counts the mutants each check catches, so an author sees at a glance which
mistakes each check catches and which check catches nothing. Below the table: the
mistake each mutant stands for, then anything missing or left to do.
"""

from __future__ import annotations

import io
import shutil
import sys

from rich import box
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from grader.catalog import FIX_STUB_MAX_SHARE
from grader.i18n import Lang, T
from grader.results import full_message
from grader.verify import ExerciseVerdict, Subject

MSG = {
    "check": T(ja="チェック（点）", en="check (points)"),
    "ref": T(ja="参照解", en="ref"),
    "stub": T(ja="スタブ", en="stub"),
    "catches": T(ja="検出数", en="catches"),
    "score": T(ja="得点", en="score"),
    "verdict": T(ja="判定", en="verdict"),
    "legend": T(ja="✓ 合格  ✗ 不合格  ● ミュータントを検出  · 検出せず  - スキップ（判定の行: ✓ 健全 ✗ 問題あり）",
                en="✓ passes  ✗ fails  ● catches the mutant  · does not  - skipped (verdict row: ✓ sound ✗ a problem)"),
    "catches_nothing": T(ja="どのミュータントも検出しないチェック: {names}（そのチェックが見つける誤りのミュータントを足すか、"
                            "チェックを見直すか、toml の [idle_checks] に 1 行の理由を書いてください）",
                         en="checks that catch no mutant: {names} (add a mutant for the mistake each one is for, rethink it, "
                            "or justify it in one line under [idle_checks] in the toml)"),
    "justified_idle": T(ja="検出なしを認めたチェック（[idle_checks]）: {items}",
                        en="checks allowed to catch nothing ([idle_checks]): {items}"),
    "unknown_justified": T(ja="[idle_checks] にあるチェックが見つかりません: {names}",
                           en="[idle_checks] names checks that do not exist: {names}"),
    "not_run": T(ja="この環境ではスキップされたチェック（デバイスがない等）: {names}",
                 en="checks skipped on this machine (no such device, ...): {names}"),
    "ref_fails": T(ja="参照解が満点ではありません（{score}）", en="the reference does not get full marks ({score})"),
    "stub_scores": T(ja="スタブが 0 点ではありません（{score}）— スタブで合格するチェックがあります",
                     en="the stub does not score 0 ({score}) — some check passes on the stub"),
    "fix_stub_scores": T(
        ja="修正課題のスタブの得点が {score} です: 0 点より多く、満点の {share:.0%} 以下であるべきです（バグが触れない"
           "チェックだけに合格し、バグを見つけるチェックはすべて不合格）",
        en="the fix stub scores {score}: it should score above 0 and at most {share:.0%} of the points (passing only the "
           "checks its bugs do not touch, failing every check that finds a bug)"),
    "fix_stub": T(ja="修正課題: スタブは動き、満点の {share:.0%} まで取れます", en="fix exercise: the stub runs and may score up to {share:.0%}"),
    "mutant_survives": T(ja="ミュータント {name} がすべてのチェックに合格します（{mistake}）",
                         en="mutant {name} passes every check ({mistake})"),
    "mutant_survives_skipped": T(
        ja="ミュータント {name} は、この環境で実行したチェックにすべて合格します（{mistake}）。スキップされたチェック"
           "（{skipped}）だけが検出するのかもしれません — そのデバイスのある環境で verify してください",
        en="mutant {name} passes every check that ran on this machine ({mistake}); it may be caught only by the "
           "checks skipped here ({skipped}) — verify it on a machine with that device"),
    "no_mutants": T(ja="ミュータントがありません（{dir}/ に 1 ファイル 1 つの誤りで置きます）",
                    en="no mutants ({dir}/: one file per plausible mistake)"),
    "missing": T(ja="ファイルがありません: {files}", en="missing files: {files}"),
    "todo": T(ja="TODO(author) が残っています: {files}", en="TODO(author) markers left in: {files}"),
    "status": T(ja="{what}: 状態 {status} — {message}", en="{what}: status {status} — {message}"),
    "all_ok": T(ja="verify: すべて健全です", en="verify: all sound"),
    "problems": T(ja="verify: 問題があります", en="verify: problems found"),
}


def _cell(subject: Subject, status: str) -> str:
    if status == "skipped":
        return "[yellow]-[/]"
    passed = status == "passed"
    if subject.kind == "mutant":
        return "·" if passed else "[green]●[/]"
    if subject.kind == "reference":
        return "[green]✓[/]" if passed else "[red]✗[/]"
    if subject.fix:  # the buggy listing: it passes what its bugs do not touch
        return "✓" if passed else "✗"
    return "[red]✓[/]" if passed else "✗"  # stub: a pass here is the problem


def _score(subject: Subject) -> str:
    r = subject.result
    return f"{r.score:g}/{r.max_score:g}" if r is not None else "-"


def _columns(subjects: list[Subject], lang: Lang) -> dict[int, str]:
    """Column headings; mutants by their number only, so twenty of them fit a terminal."""
    mutants = [s for s in subjects if s.kind == "mutant"]
    return {id(s): (MSG["ref"].render(lang) if s.kind == "reference" else
                    MSG["stub"].render(lang) if s.kind == "stub" else str(mutants.index(s) + 1))
            for s in subjects}


def _matrix(v: ExerciseVerdict, subjects: list[Subject], columns: dict[int, str], lang: Lang) -> Table | None:
    """check × subject, with how many mutants each check catches; None without checks."""
    basis = next((s for s in sorted(subjects, key=lambda s: s.kind != "reference") if s.result and s.result.checks), None)
    names = [(c.name, c.max_points) for c in basis.result.checks] if basis and basis.result else []
    if not names:
        return None
    # Narrow columns (a space between them, no padding): twenty mutants fit 120 columns;
    # when space runs out, check names wrap rather than columns disappearing.
    table = Table(box=box.SIMPLE_HEAD, padding=(0, 0), show_edge=False)
    table.add_column(MSG["check"].render(lang), ratio=1)
    for s in subjects:
        table.add_column(columns[id(s)], justify="center", no_wrap=True)
    table.add_column(MSG["catches"].render(lang), justify="right", no_wrap=True)
    idle, not_run = v.idle_checks() + v.idle_checks(justified=True), v.not_run()
    for name, points in names:
        statuses = {id(s): next((c.status for c in s.result.checks if c.name == name), "error")  # type: ignore[union-attr]
                    for s in subjects}
        count = "[yellow]-[/]" if name in not_run else "[yellow]0[/]" if name in idle else str(v.catches(name))
        table.add_row(f"{escape(name)} [dim]({points:g})[/]", *[_cell(s, statuses[id(s)]) for s in subjects], count)
    table.add_row(f"[dim]{escape(MSG['verdict'].render(lang))}[/]",
                  *[("[green]✓[/]" if s.ok else "[red]✗[/]") for s in subjects], "")
    return table


def _scores(console: Console, subjects: list[Subject], columns: dict[int, str], lang: Lang) -> None:
    """The reference's and the stub's scores, then each mutant with the mistake it stands for."""
    head = [f"{columns[id(s)]} [{'green' if s.ok else 'red'}]{_score(s)}[/]"
            for s in subjects if s.kind in ("reference", "stub")]
    if head:
        console.print(f"  {escape(MSG['score'].render(lang))}: " + "  ".join(head))
    mutants = [s for s in subjects if s.kind == "mutant"]
    width = len(str(len(mutants)))
    for s in mutants:
        colour = "green" if s.ok else "red"
        console.print(f"  {columns[id(s)]:>{width}} [bold]{escape(s.name)}[/] [{colour}]{_score(s)}[/]: "
                      f"{escape(s.mistake or '?')}")


def _subject_problems(v: ExerciseVerdict, s: Subject, column: str, lang: Lang) -> list[str]:
    r = s.result
    assert r is not None
    problems = []
    if r.status != "graded" and s.kind != "stub":
        message = r.message.render(lang) if r.message else ""
        problems.append(MSG["status"].format(what=column + (f" {s.name}" if s.kind == "mutant" else ""),
                                             status=r.status, message=message).render(lang))
    if s.ok:
        return problems
    score = f"{r.score:g}/{r.max_score:g}"
    if s.kind == "reference":
        problems.append(MSG["ref_fails"].format(score=score).render(lang))
        problems += [f"    {c.name}: " + (full_message(c, lang) or c.status).replace("\n", "\n      ")
                     for c in r.checks if c.status not in ("passed", "skipped")]
    elif s.kind == "stub":
        key = "fix_stub_scores" if s.fix else "stub_scores"
        problems.append(MSG[key].format(score=score, share=FIX_STUB_MAX_SHARE).render(lang))
    elif v.skipped_for(s):
        problems.append(MSG["mutant_survives_skipped"].format(
            name=s.name, mistake=s.mistake or "?", skipped=", ".join(v.skipped_for(s))).render(lang))
    else:
        problems.append(MSG["mutant_survives"].format(name=s.name, mistake=s.mistake or "?").render(lang))
    return problems


def _problems(v: ExerciseVerdict, subjects: list[Subject], columns: dict[int, str], lang: Lang,
              missing: list[str]) -> list[str]:
    """Everything that makes the verdict unsound, one line each."""
    problems = [line for s in subjects for line in _subject_problems(v, s, columns[id(s)], lang)]
    if not any(s.kind == "mutant" for s in subjects):
        problems.append(MSG["no_mutants"].format(dir=str(v.exercise.mutants_dir.relative_to(v.exercise.root))).render(lang))
    if missing:
        problems.append(MSG["missing"].format(files=", ".join(missing)).render(lang))
    if v.idle_checks():
        problems.append(MSG["catches_nothing"].format(names=", ".join(v.idle_checks())).render(lang))
    if v.unknown_justifications():
        problems.append(MSG["unknown_justified"].format(names=", ".join(v.unknown_justifications())).render(lang))
    return problems


def _notes(v: ExerciseVerdict, lang: Lang, todo: list[str]) -> list[str]:
    """What an author should know that does not make the verdict unsound (rich markup)."""
    notes = []
    justified = v.exercise.idle_checks
    if v.idle_checks(justified=True):
        items = "; ".join(f"{n} — {justified[n]}" for n in v.idle_checks(justified=True))
        notes.append("[dim]" + escape(MSG["justified_idle"].format(items=items).render(lang)) + "[/]")
    if any(s.kind == "stub" and s.fix for s in v.subjects):
        notes.append("[dim]" + escape(MSG["fix_stub"].format(share=FIX_STUB_MAX_SHARE).render(lang)) + "[/]")
    if v.not_run():
        notes.append("[dim]" + escape(MSG["not_run"].format(names=", ".join(v.not_run())).render(lang)) + "[/]")
    if todo:
        notes.append("[yellow]" + escape(MSG["todo"].format(files=", ".join(todo)).render(lang)) + "[/]")
    return notes


def render_verdict(console: Console, v: ExerciseVerdict, lang: Lang, *, missing: list[str], todo: list[str]) -> bool:
    """Print one exercise's matrix and problems; True when it is sound and complete."""
    ok = v.ok and not missing
    mark = "[green]✓[/]" if ok else "[red]✗[/]"
    console.print(f"{mark} [bold]{v.exercise.id}[/] {escape(v.exercise.title.render(lang))}")
    subjects = [s for s in v.subjects if s.result is not None]
    columns = _columns(subjects, lang)
    table = _matrix(v, subjects, columns, lang)
    if table is not None:
        console.print(table)
        console.print(f"  [dim]{escape(MSG['legend'].render(lang))}[/]")
    _scores(console, subjects, columns, lang)
    for line in _problems(v, subjects, columns, lang, missing):
        console.print(f"  [red]{escape(line)}[/]")
    for note in _notes(v, lang, todo):
        console.print(f"  {note}")
    return ok


def render(verdicts: list[ExerciseVerdict], lang: Lang, *, color: bool = False,
           width: int | None = None) -> tuple[str, bool]:
    """The whole `grade verify` report as text, and whether everything is sound.

    Width: the terminal's when stdout is one, else 160 (a file or a pipe never wraps a row)."""
    from grader.scaffold import missing_files, todo_markers

    if width is None:
        width = shutil.get_terminal_size((160, 24)).columns if sys.stdout.isatty() else 160
    buffer = io.StringIO()
    console = Console(file=buffer, force_terminal=color, no_color=not color, width=width, highlight=False,
                      force_jupyter=False, color_system="standard" if color else None)
    all_ok = True
    for i, v in enumerate(verdicts):
        if i:
            console.print()
        all_ok &= render_verdict(console, v, lang, missing=missing_files(v.exercise), todo=todo_markers(v.exercise))
    console.print()
    console.print(("[green]" + MSG["all_ok"].render(lang) + "[/]") if all_ok else ("[red]" + MSG["problems"].render(lang) + "[/]"))
    return buffer.getvalue(), all_ok
