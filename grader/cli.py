"""The `grade` command line.

    grade ex3              grade one exercise (also 3, ex03, the slug or the file path)
    grade / grade all      every exercise, with a summary table
    grade list             the catalog, with your last scores (imports no torch/TF)
    grade hint ex3         the next hint, one more each call
    grade verify [ex3]     instructors: references full marks, stubs 0, mutants caught

Exit status: 0 every graded check passed; 1 some failed; 2 usage error; 3 the grader failed.
torch, TensorFlow and pytest are imported only by the grading worker, never here.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

import click

from grader import catalog
from grader.i18n import Lang, T, detect_lang

EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_GRADER = 0, 1, 2, 3

MSG = {
    "unknown": T(ja="課題 '{q}' はありません。あるもの: {known}", en="no exercise '{q}'. Known: {known}"),
    "no_hints": T(ja="{id} にはヒントがありません", en="{id} has no hints"),
    "hint": T(ja="ヒント {n}/{total}（{id}）", en="hint {n}/{total} ({id})"),
    "grader_failed": T(ja="採点器自体が失敗しました（あなたのコードのせいではありません）:",
                       en="the grader itself failed (not your code's fault):"),
    "verify_ok": T(ja="verify: すべて健全です", en="verify: all sound"),
    "verify_bad": T(ja="verify: 問題があります", en="verify: problems found"),
    "ref_full": T(ja="参照解が満点", en="reference gets full marks"),
    "stub_zero": T(ja="スタブが 0 点", en="stub scores 0"),
    "mutant_caught": T(ja="ミュータントを検出", en="mutant caught"),
    "idle": T(ja="どのミュータントも落とさないチェック: {names}", en="checks no mutant fails: {names}"),
    "no_mutants": T(ja="ミュータントがありません（checks/mutants/{dir}/）", en="no mutants (checks/mutants/{dir}/)"),
}

COMMON = [
    click.option("--submission", "submission", type=click.Path(file_okay=False, path_type=Path), default=None,
                 help="Grade the exercise files in DIR instead of exercises/."),
    click.option("--reference", is_flag=True, help="Shorthand for --submission reference."),
    click.option("--format", "fmt", type=click.Choice(["text", "json", "gradescope", "junit", "markdown"]),
                 default="text", show_default=True, help="Report format."),
    click.option("--output", "output", type=click.Path(dir_okay=False, path_type=Path), default=None,
                 help="Write the report to FILE instead of stdout."),
    click.option("--lang", type=click.Choice(["ja", "en"]), default=None,
                 help="Language (default: GRADE_LANG, then the locale)."),
    click.option("--strict", is_flag=True, help="A check skipped for a missing framework is an error."),
    click.option("--timeout", type=click.FloatRange(min=1), default=None,
                 help="Wall-clock limit per exercise, in seconds."),
    click.option("-v", "--verbose", is_flag=True, help="Show tracebacks and your code's output."),
]


def common_options(fn: Any) -> Any:
    for option in reversed(COMMON):
        fn = option(fn)
    return fn


class DefaultGroup(click.Group):
    """`grade ex3` grades; `grade` alone grades everything; other words are commands."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if not args or (args[0] not in self.commands and args[0] not in ("--help", "-h", "--version")):
            if not args or args[0].startswith("-"):
                args = ["all", *args]
            else:
                args = ["exercise", *args]
        return super().parse_args(ctx, args)


def _lang(lang: str | None) -> Lang:
    return detect_lang(lang)


def _resolve(queries: tuple[str, ...], lang: Lang) -> list[catalog.Exercise]:
    try:
        return [catalog.resolve(q) for q in queries] if queries else catalog.discover()
    except catalog.UnknownExercise as exc:
        click.echo(MSG["unknown"].format(q=exc.query, known=", ".join(exc.known)).render(lang), err=True)
        sys.exit(EXIT_USAGE)


def _use_color(output: Path | None) -> bool:
    return output is None and sys.stdout.isatty() and "NO_COLOR" not in os.environ


def _emit(text: str, output: Path | None) -> None:
    if output is not None:
        output.parent.mkdir(parents=True, exist_ok=True)
        output.write_text(text if text.endswith("\n") else text + "\n", encoding="utf-8")
    else:
        click.echo(text, nl=not text.endswith("\n"))


def _grade(exercises: list[catalog.Exercise], submission: Path | None, reference: bool, fmt: str,
           output: Path | None, lang_opt: str | None, strict: bool, timeout: float | None, verbose: bool) -> None:
    from grader import reports
    from grader.progress import Progress
    from grader.results import Report
    from grader.runner import DEFAULT_TIMEOUT, GradeOptions, GraderFailure, Job, grade

    lang = _lang(lang_opt)
    folder = (catalog.KIT_ROOT / "reference") if reference else (submission or catalog.KIT_ROOT / "exercises")
    opts = GradeOptions(submission=folder, timeout=timeout or DEFAULT_TIMEOUT, strict=strict)
    progress_bar = _progress_bar(len(exercises), fmt, output)
    try:
        results = grade([Job(ex, folder) for ex in exercises], opts,
                        on_result=(lambda job, res: progress_bar.advance()) if progress_bar else None)
    except GraderFailure as exc:
        click.echo(f"{MSG['grader_failed'].render(lang)}\n{exc}", err=True)
        sys.exit(EXIT_GRADER)
    finally:
        if progress_bar:
            progress_bar.stop()
    report = Report(results)
    if submission is None and not reference:  # the learner's own work: remember it
        store = Progress()
        for ex, res in zip(exercises, results):
            store.record(ex, res.score, res.max_score, res.passed)
        store.save()
    if fmt == "text":
        from grader.reports.text import render

        text = render(report, lang, verbose, color=_use_color(output))
    else:
        text = reports.get(fmt)(report, lang, verbose)
    _emit(text, output)
    sys.exit(EXIT_OK if report.all_passed else EXIT_FAILED)


class _Bar:
    def __init__(self, total: int) -> None:
        from rich.progress import Progress as RichProgress

        self._progress = RichProgress(transient=True)
        self._task = self._progress.add_task("grading", total=total)
        self._progress.start()

    def advance(self) -> None:
        self._progress.advance(self._task)

    def stop(self) -> None:
        self._progress.stop()


def _progress_bar(total: int, fmt: str, output: Path | None) -> _Bar | None:
    """A bar on stderr for several exercises in a terminal; never in machine output streams."""
    if total < 2 or not sys.stderr.isatty() or "NO_COLOR" in os.environ:
        return None
    return _Bar(total)


@click.group(cls=DefaultGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="dl-exercise-kit")
def main() -> None:
    """dl-exercise-kit: grade PyTorch / Keras exercises (演習の自動採点)."""


@main.command("exercise", hidden=True)
@click.argument("queries", nargs=-1, required=True)
@common_options
def exercise_cmd(queries: tuple[str, ...], **kw: Any) -> None:
    """Grade the named exercises."""
    _grade(_resolve(queries, _lang(kw["lang"])), kw["submission"], kw["reference"], kw["fmt"], kw["output"],
           kw["lang"], kw["strict"], kw["timeout"], kw["verbose"])


@main.command("all")
@common_options
def all_cmd(**kw: Any) -> None:
    """Grade every exercise, with a summary table."""
    _grade(catalog.discover(), kw["submission"], kw["reference"], kw["fmt"], kw["output"],
           kw["lang"], kw["strict"], kw["timeout"], kw["verbose"])


@main.command("list")
@click.option("--lang", type=click.Choice(["ja", "en"]), default=None)
def list_cmd(lang: str | None) -> None:
    """The catalog: difficulty, framework, your last score."""
    from rich.console import Console
    from rich.table import Table

    from grader.progress import Progress

    language = _lang(lang)
    head = {"ja": ["課題", "タイトル", "難易度", "フレームワーク", "前回の得点"],
            "en": ["id", "title", "difficulty", "framework", "last score"]}[language]
    state_label = {"new": T(ja="未採点", en="not graded"), "recheck": T(ja="要再採点（チェック更新）", en="re-check (checks changed)")}
    table = Table(*head)
    store = Progress()
    for ex in catalog.discover():
        state, entry = store.status(ex)
        if state in state_label:
            last = state_label[state].render(language)
        else:
            mark = "✓ " if state == "passed" else ""
            last = f"{mark}{entry['score']:g}/{entry['max_score']:g}"
        table.add_row(ex.id, ex.title.render(language), ex.difficulty, ex.framework, last)
    Console(no_color="NO_COLOR" in os.environ or not sys.stdout.isatty()).print(table)


@main.command("hint")
@click.argument("query")
@click.option("--lang", type=click.Choice(["ja", "en"]), default=None)
def hint_cmd(query: str, lang: str | None) -> None:
    """The next hint for an exercise (one more each call)."""
    from grader.progress import Progress

    language = _lang(lang)
    ex = _resolve((query,), language)[0]
    hints = ex.hints
    if not hints:
        click.echo(MSG["no_hints"].format(id=ex.id).render(language))
        return
    store = Progress()
    i = store.next_hint(ex)
    store.save()
    click.echo(MSG["hint"].format(n=i + 1, total=len(hints), id=ex.id).render(language))
    click.echo(hints[i].render(language))


@main.command("verify")
@click.argument("queries", nargs=-1)
@click.option("--lang", type=click.Choice(["ja", "en"]), default=None)
@click.option("--timeout", type=click.FloatRange(min=1), default=None)
@click.option("-j", "--jobs", type=click.IntRange(min=1), default=1, help="Parallel workers.")
def verify_cmd(queries: tuple[str, ...], lang: str | None, timeout: float | None, jobs: int) -> None:
    """Instructors: references full marks, stubs 0, every mutant loses points."""
    from rich.console import Console
    from rich.markup import escape
    from rich.table import Table

    from grader.runner import DEFAULT_TIMEOUT, GradeOptions, GraderFailure
    from grader.verify import verify

    language = _lang(lang)
    exercises = _resolve(queries, language)
    opts = GradeOptions(submission=catalog.KIT_ROOT / "exercises", timeout=timeout or DEFAULT_TIMEOUT)
    try:
        verdicts = verify(exercises, opts, workers=jobs)
    except GraderFailure as exc:
        click.echo(f"{MSG['grader_failed'].render(language)}\n{exc}", err=True)
        sys.exit(EXIT_GRADER)
    console = Console(no_color="NO_COLOR" in os.environ or not sys.stdout.isatty(), width=160)
    all_ok = True
    for v in verdicts:
        all_ok &= v.ok
        mark = "[green]✓[/]" if v.ok else "[red]✗[/]"
        console.print(f"{mark} [bold]{v.exercise.id}[/] {escape(v.exercise.title.render(language))}")
        subjects = v.subjects
        checks = [c.name for c in subjects[0].result.checks] if subjects and subjects[0].result else []
        table = Table("", *[escape(n) for n in checks], "score", "ok", show_lines=False)
        for s in subjects:
            r = s.result
            assert r is not None
            cells = []
            for c in r.checks:
                cells.append({"passed": "·", "skipped": "-"}.get(c.status, "[red]✗[/]" if s.kind == "mutant" else "✗"))
            label = s.name if s.kind != "mutant" else f"{s.name}"
            ok = "[green]ok[/]" if s.ok else "[red]NO[/]"
            table.add_row(escape(label), *cells, f"{r.score:g}/{r.max_score:g}", ok)
        console.print(table)
        if not [s for s in subjects if s.kind == "mutant"]:
            console.print("  [red]" + MSG["no_mutants"].format(dir=v.exercise.mutants_dir.name).render(language) + "[/]")
        for s in subjects:
            if not s.ok and s.result is not None:
                detail = s.result.message.render(language) if s.result.message else ""
                console.print(f"  [red]{escape(s.kind)} {escape(s.name)}: {s.result.score:g}/{s.result.max_score:g} {escape(detail)}[/]")
                for c in s.result.checks:
                    if s.kind == "reference" and c.status not in ("passed", "skipped"):
                        from grader.results import full_message
                        console.print(f"    {escape(c.name)}: {escape(full_message(c, language) or '')}")
        idle = v.idle_checks()
        if idle:
            console.print("  [yellow]" + escape(MSG["idle"].format(names=", ".join(idle)).render(language)) + "[/]")
    console.print(("[green]" + MSG["verify_ok"].render(language)) if all_ok else ("[red]" + MSG["verify_bad"].render(language)))
    sys.exit(EXIT_OK if all_ok else EXIT_FAILED)


if __name__ == "__main__":
    main()
