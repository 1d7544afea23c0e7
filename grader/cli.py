"""The `grade` command line.

    grade ex3              grade one exercise (also 3, ex03, the slug or the file path)
    grade / grade all      every exercise, with a summary table
    grade list             the catalog, with your last scores (imports no torch/TF)
    grade hint ex3         the next hint, one more each call
    grade verify [ex3]     instructors: references full marks, stubs 0, mutants caught
    grade watch [ex3]      re-grade on every save (without ex3: follow the course)
    grade reset ex3        put the stub back (your version goes to .grade/backups/)
    grade solution ex3     the reference solution, once ex3 passes (grade diff ex3: a diff)
    grade new ex13 slug    authors: scaffold an exercise that `grade verify` runs at once
    grade batch DIR        instructors: grade a class (a sub-folder per student), CSV gradebook
    grade gradebook merge OUT1 OUT2 --out OUT   join the outputs of `grade batch --shard K/N`
    grade report OUT       instructors: the class report (report.html) of a `grade batch` output
    grade export gradescope --exercise ex3 --output autograder.zip   Gradescope's autograder zip

Exit status: 0 every graded check passed; 1 some failed; 2 usage error; 3 the grader failed.
torch, TensorFlow and pytest are imported only by the grading worker, never here.
"""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path
from typing import Any

import click

from grader import catalog
from grader.i18n import Lang, T, detect_lang
from grader.learner import GRADER_FAILED, INTERRUPTED

EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_GRADER = 0, 1, 2, 3

MSG = {
    "unknown": T(ja="課題 '{q}' はありません。あるもの: {known}", en="no exercise '{q}'. Known: {known}"),
    "no_hints": T(ja="{id} にはヒントがありません", en="{id} has no hints"),
    "hint": T(ja="ヒント {n}/{total}（{id}）", en="hint {n}/{total} ({id})"),
}

CALIBRATED = T(ja="{id}: 参照解の最も遅いチェック {s} 秒 → チェックごとの制限時間 {budget} 秒、課題全体のメモリ {mb} MB",
               en="{id}: the reference's slowest check took {s} s -> {budget} s per check, {mb} MB for the exercise")

LANG_OPTION = click.option("--lang", type=click.Choice(["ja", "en"]), default=None,
                           help="Language (default: GRADE_LANG, then the locale).")

COMMON = [
    click.option("--submission", "submission", type=click.Path(file_okay=False, path_type=Path), default=None,
                 help="Grade the exercise files in DIR instead of exercises/."),
    click.option("--reference", is_flag=True, help="Shorthand for --submission reference."),
    click.option("--format", "fmt", type=click.Choice(["text", "json", "gradescope", "junit", "markdown"]),
                 default="text", show_default=True, help="Report format."),
    click.option("--output", "output", type=click.Path(dir_okay=False, path_type=Path), default=None,
                 help="Write the report to FILE instead of stdout."),
    LANG_OPTION,
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

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except catalog.MetadataError as exc:  # an exercise's toml: say which file and field
            click.echo(str(exc), err=True)
            sys.exit(EXIT_USAGE)


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
    from grader.isolation.host import GraderFailure, Interrupted
    from grader.learner import grade_for_learner
    from grader.results import Report

    lang = _lang(lang_opt)
    folder = (catalog.KIT_ROOT / "reference") if reference else (submission or catalog.KIT_ROOT / "exercises")
    progress_bar = _progress_bar(exercises)
    try:
        results = grade_for_learner(
            exercises, folder, timeout=timeout, strict=strict,
            record=submission is None and not reference,  # the learner's own work: remember it
            on_result=progress_bar.finished if progress_bar else None,
            on_check=progress_bar.checks if progress_bar else None,
            meanwhile=lambda: reports.get(fmt))  # the renderer loads while the worker starts
    except GraderFailure as exc:
        click.echo(f"{GRADER_FAILED.render(lang)}\n{exc}", err=True)
        sys.exit(EXIT_GRADER)
    except Interrupted as exc:
        _interrupted(exc, lang)
    finally:
        if progress_bar:
            progress_bar.stop()
    report = Report(results)
    if fmt == "text":
        from grader.reports.text import render

        terminal = output is None and sys.stdout.isatty()  # wrap under the indent only on a terminal
        text = render(report, lang, verbose, color=_use_color(output), wrap=terminal,
                      width=shutil.get_terminal_size().columns if terminal else 100)
    else:
        text = reports.get(fmt)(report, lang, verbose)
    _emit(text, output)
    sys.exit(EXIT_OK if report.all_passed else EXIT_FAILED)


def _interrupted(exc: Any, lang: Lang) -> None:
    """Ctrl-C, a closed terminal or SIGTERM while grading: nothing is left running."""
    click.echo(INTERRUPTED.render(lang), err=True)
    sys.exit(exc.exit_status)


class _Bar:
    """Drawn on stderr, so stdout carries the report alone (and can be piped): exercises
    done, and the checks of the one being graded, from the first second."""

    def __init__(self, total: int, first: str = "") -> None:
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, TextColumn, TimeElapsedColumn
        from rich.progress import Progress as RichProgress

        self._progress = RichProgress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                                      TimeElapsedColumn(), console=Console(stderr=True), transient=True)
        self._task = self._progress.add_task(f"grade {first}".rstrip(), total=total)
        self._progress.start()

    def advance(self, label: str = "") -> None:
        self._progress.update(self._task, advance=1, description=f"grade {label}".rstrip())

    def finished(self, job: Any, result: Any) -> None:
        self.advance(job.exercise.id)

    def checks(self, job: Any, done: int, total: int) -> None:
        self._progress.update(self._task, description=f"grade {job.exercise.id} · checks {done}/{total}",
                              refresh=True)  # drawn now: a fast exercise may end before the next tick

    def stop(self) -> None:
        self._progress.stop()


def _progress_bar(exercises: list[catalog.Exercise]) -> _Bar | None:
    """A bar on stderr in a terminal; never in machine output streams."""
    if not exercises or not sys.stderr.isatty() or "NO_COLOR" in os.environ:
        return None
    return _Bar(len(exercises), exercises[0].id)


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
@LANG_OPTION
def list_cmd(lang: str | None) -> None:
    """The catalog: difficulty, framework, your last score."""
    from rich.console import Console
    from rich.table import Table

    from grader.progress import Progress

    language = _lang(lang)
    head = {"ja": ["課題", "タイトル", "難易度", "フレームワーク", "前回の得点"],
            "en": ["id", "title", "difficulty", "framework", "last score"]}[language]
    state_label = {"new": T(ja="未採点", en="not graded"), "recheck": T(ja="要再採点（チェック更新）", en="re-check (checks changed)"),
                   "unfixed": T(ja="未修正", en="not fixed yet")}
    from rich.markup import escape

    from grader.solutions import remember_stubs

    table = Table(*head)
    table.columns[1].no_wrap = True  # a title is never cut mid-word; the terminal scrolls or wraps the row
    store = Progress()
    exercises = catalog.discover()
    remember_stubs(exercises)  # keeps `grade reset` able to restore untouched stubs
    style = {"passed": "green", "partial": "yellow", "recheck": "magenta", "new": "dim", "unfixed": "yellow"}
    for ex in exercises:
        state, entry = store.status(ex)
        if state in state_label:
            last = state_label[state].render(language)
            if state == "unfixed" and "score" in entry:  # a fix exercise's stub runs: show what it scored
                last += f" {entry['score']:g}/{entry['max_score']:g}"
        else:
            mark = "✓ " if state == "passed" else ""
            last = f"{mark}{entry['score']:g}/{entry['max_score']:g}"
            if entry.get("source") == "notebook":  # not the file's score: say so
                last += " " + T(ja="（ノートブック）", en="(notebook)").render(language)
        table.add_row(ex.id, escape(ex.title.render(language)), LIST_WORDS[ex.difficulty].render(language),
                      LIST_WORDS[ex.framework].render(language),
                      f"[{style[state]}]{escape(last)}[/]")
    terminal = sys.stdout.isatty()
    console = Console(no_color="NO_COLOR" in os.environ or not terminal, highlight=False,
                      width=None if terminal else 200)  # piped: no column squeezed to 80
    console.print(table)
    upcoming = store.first_unfinished(exercises)
    if upcoming is not None:
        console.print(T(ja="次の課題: {id} — grade watch で保存のたびに採点",
                        en="next: {id} — grade watch grades it on every save").format(id=upcoming.id).render(language))


LAST_HINT = T(ja="これが最後のヒントです。合格したら grade solution {id} で解答例と見比べられます",
              en="that was the last hint; once it passes, grade solution {id} shows the reference to compare")
LIST_WORDS = {  # the catalog's difficulty and framework, as `grade list` says them
    "easy": T(ja="やさしい", en="easy"), "medium": T(ja="ふつう", en="medium"), "hard": T(ja="むずかしい", en="hard"),
    "none": T(ja="なし", en="none"), "torch": T.same("PyTorch"), "keras": T.same("Keras"),
    "both": T(ja="PyTorch と Keras", en="PyTorch and Keras"),
}


@main.command("hint")
@click.argument("query")
@LANG_OPTION
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
    if i + 1 == len(hints):
        click.echo(LAST_HINT.format(id=ex.id).render(language))


@main.command("verify")
@click.argument("queries", nargs=-1)
@LANG_OPTION
@click.option("--timeout", type=click.FloatRange(min=1), default=None)
@click.option("-j", "--jobs", type=click.IntRange(min=1), default=1, help="Parallel workers.")
@click.option("--calibrate", is_flag=True,
              help="Record each reference's slowest check in its toml: checks then get a time budget from it.")
def verify_cmd(queries: tuple[str, ...], lang: str | None, timeout: float | None, jobs: int, calibrate: bool) -> None:
    """Instructors: references full marks, stubs 0, every mutant loses points; a catch matrix."""
    from grader.isolation.host import GradeOptions, GraderFailure, Interrupted
    from grader.verify import verify

    language = _lang(lang)
    exercises = _resolve(queries, language)
    opts = GradeOptions(submission=catalog.KIT_ROOT / "exercises", timeout=timeout)
    try:
        verdicts = verify(exercises, opts, workers=jobs)
    except GraderFailure as exc:
        click.echo(f"{GRADER_FAILED.render(language)}\n{exc}", err=True)
        sys.exit(EXIT_GRADER)
    except Interrupted as exc:
        _interrupted(exc, language)
    from grader.reports.catch_matrix import render as render_matrix

    text, all_ok = render_matrix(verdicts, language, color=_use_color(None))
    _emit(text, None)
    if calibrate:
        for v in verdicts:
            slowest, peak = v.reference_slowest_check(), v.reference_peak_mb()
            if slowest is not None:
                catalog.write_calibration(v.exercise, slowest, peak)
                click.echo(CALIBRATED.format(id=v.exercise.id, s=f"{slowest:.2f}", budget=f"{v.exercise.check_budget:g}",
                                             mb=v.exercise.memory_budget_mb).render(language))
    sys.exit(EXIT_OK if all_ok else EXIT_FAILED)


# --------------------------------------------------------------- the learner's loop

LOOP = {
    "reset_done": T(ja="{file} を元のスタブに戻しました（{source} から）", en="{file} is the original stub again (from {source})"),
    "reset_backup": T(ja="あなたの版は {backup} に保存してあります", en="your version is kept in {backup}"),
    "reset_same": T(ja="（ファイルは元のスタブのままでした）", en="(the file was the original stub already)"),
    "not_a_dir": T(ja="フォルダ {path} がありません", en="folder {path} does not exist"),
    "new_done": T(ja="{id}（{stem}）を作りました:", en="created {id} ({stem}):"),
    "new_next": T(
        ja="次に:\n"
           "  1. grade verify {id}      — ひな形のままで健全なことを確かめる（参照解 満点・スタブ 0 点・ミュータント検出）\n"
           "  2. 4 つのファイルを自分の課題に書き換え、TODO(author) をすべて消す（docs/authoring.md）\n"
           "  3. checks/mutants/ex{nn}/ に学習者がしそうな誤りを 1 ファイル 1 つずつ（5 つ以上）\n"
           "  4. grade verify {id} が「verify: すべて健全です」で終わるまで繰り返す",
        en="Next:\n"
           "  1. grade verify {id}      — see that the scaffold is sound (reference full, stub 0, mutants caught)\n"
           "  2. rewrite the four files into your exercise, removing every TODO(author) (docs/authoring.md)\n"
           "  3. put plausible learner mistakes in checks/mutants/ex{nn}/, one per file (5 or more)\n"
           "  4. repeat grade verify {id} until it ends with \"verify: all sound\""),
    "new_error": {
        "bad_number": T(ja="課題番号 '{value}' が読めません（例: ex13 または 13）", en="cannot read the number '{value}' (e.g. ex13 or 13)"),
        "bad_slug": T(ja="slug '{value}' は英小文字・数字・_ で、英字から始めてください（例: stable_softmax）",
                      en="the slug '{value}' must be lower-case letters, digits and _, starting with a letter (e.g. stable_softmax)"),
        "bad_framework": T(ja="フレームワーク '{value}' はありません（torch か keras）", en="no framework '{value}' (torch or keras)"),
        "bad_kind": T(ja="種類 '{value}' はありません（exercise か fix）", en="no kind '{value}' (exercise or fix)"),
        "fix_framework": T(ja="--kind fix のひな形は torch だけです（--framework {value} では作れません）",
                           en="the --kind fix template is torch only (not --framework {value})"),
        "taken": T(ja="{id} はすでにあります（{stem}）。空いている番号を選んでください",
                   en="{id} exists already ({stem}); pick a free number"),
        "exists": T(ja="ファイルがすでにあります: {files}（上書きはしません）", en="files exist already: {files} (nothing is overwritten)"),
    },
}


def _folder(submission: Path | None, lang: Lang) -> Path:
    folder = submission or catalog.KIT_ROOT / "exercises"
    if not folder.is_dir():
        click.echo(LOOP["not_a_dir"].format(path=str(folder)).render(lang), err=True)
        sys.exit(EXIT_USAGE)
    return folder


@main.command("watch")
@click.argument("query", required=False)
@click.option("--submission", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Watch the exercise files in DIR instead of exercises/.")
@LANG_OPTION
@click.option("--timeout", type=click.FloatRange(min=1), default=None, help="Wall-clock limit per grading, in seconds.")
def watch_cmd(query: str | None, submission: Path | None, lang: str | None, timeout: float | None) -> None:
    """Re-grade on every save; without an exercise, follow the course (keys: h n l r q)."""
    from grader.watch import watch

    language = _lang(lang)
    if query:
        _resolve((query,), language)  # exit 2 with the list when unknown
    sys.exit(watch(query, _folder(submission, language), language, timeout))


@main.command("reset")
@click.argument("query")
@click.option("--submission", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Reset the file in DIR instead of exercises/.")
@LANG_OPTION
def reset_cmd(query: str, submission: Path | None, lang: str | None) -> None:
    """Put the original stub back; your version is kept in .grade/backups/."""
    from grader.progress import Progress
    from grader.solutions import MSG as SOL, NoPristineStub, remember_stubs, reset

    language = _lang(lang)
    ex = _resolve((query,), language)[0]
    folder = _folder(submission, language)
    remember_stubs(catalog.discover())
    try:
        target, backup, source = reset(ex, folder)
    except NoPristineStub:
        click.echo(SOL["no_pristine"].format(file=ex.filename).render(language), err=True)
        sys.exit(EXIT_FAILED)
    click.echo(LOOP["reset_done"].format(file=str(target), source=source).render(language))
    click.echo((LOOP["reset_backup"].format(backup=str(backup)) if backup else LOOP["reset_same"]).render(language))
    if submission is None:
        store = Progress()
        store.forget_score(ex)
        store.save()


def _reveal(cmd: str, query: str, force: bool, lang: Lang) -> catalog.Exercise:
    from grader.solutions import MSG as SOL, unlocked

    ex = _resolve((query,), lang)[0]
    if not ex.reference_path.is_file():
        click.echo(SOL["no_reference"].format(id=ex.id).render(lang), err=True)
        sys.exit(EXIT_FAILED)
    if not unlocked(ex):
        if not force:
            click.echo(SOL["locked"].format(id=ex.id, cmd=cmd).render(lang), err=True)
            sys.exit(EXIT_FAILED)
        click.echo(SOL["forced"].render(lang), err=True)
    return ex


@main.command("solution")
@click.argument("query")
@click.option("--force", is_flag=True, help="Show it before the exercise passes.")
@LANG_OPTION
def solution_cmd(query: str, force: bool, lang: str | None) -> None:
    """The reference solution, once the exercise passes (--force: before)."""
    from grader.solutions import solution_text

    language = _lang(lang)
    ex = _reveal("solution", query, force, language)
    text = solution_text(ex)
    if _use_color(None):
        from rich.console import Console
        from rich.syntax import Syntax

        Console().print(Syntax(text, "python", line_numbers=True, word_wrap=True))
    else:
        _emit(text, None)


@main.command("diff")
@click.argument("query")
@click.option("--submission", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Compare the file in DIR instead of exercises/.")
@click.option("--force", is_flag=True, help="Show it before the exercise passes.")
@LANG_OPTION
def diff_cmd(query: str, submission: Path | None, force: bool, lang: str | None) -> None:
    """Your file against the reference, as a unified diff (once the exercise passes)."""
    from grader.solutions import MSG as SOL, diff_text

    language = _lang(lang)
    ex = _reveal("diff", query, force, language)
    text = diff_text(ex, _folder(submission, language))
    if not text:
        click.echo(SOL["same"].render(language))
    elif _use_color(None):
        from rich.console import Console
        from rich.syntax import Syntax

        Console().print(Syntax(text, "diff", word_wrap=True))
    else:
        _emit(text, None)


@main.command("new")
@click.argument("number")
@click.argument("slug")
@click.option("--framework", type=click.Choice(["torch", "keras"]), default="torch", show_default=True,
              help="Which template: a torch function or a Keras model.")
@click.option("--kind", type=click.Choice(["exercise", "fix"]), default="exercise", show_default=True,
              help="fix: the stub is buggy code that runs (a textbook listing to repair), not a NotImplementedError.")
@LANG_OPTION
def new_cmd(number: str, slug: str, framework: str, kind: str, lang: str | None) -> None:
    """Authors: scaffold stub, checks, metadata, reference and mutants (sound as written)."""
    from grader.scaffold import ScaffoldError, new_exercise

    language = _lang(lang)
    try:
        made = new_exercise(number, slug, framework, kind=kind)
    except ScaffoldError as exc:
        click.echo(LOOP["new_error"][exc.key].format(**exc.kw).render(language), err=True)
        sys.exit(EXIT_USAGE)
    ex = made.exercise
    click.echo(LOOP["new_done"].format(id=ex.id, stem=ex.stem).render(language))
    for path in made.files:
        click.echo(f"  {path.relative_to(ex.root)}")
    click.echo(LOOP["new_next"].format(id=ex.id, nn=f"{ex.number:02d}").render(language))



# -- grade batch / grade gradebook (class grading: grader/batch.py, grader/gradebook.py) -----
@main.command("batch")
@click.argument("root", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--out", "out", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Output folder (default: DIR-grades beside DIR).")
@click.option("-j", "--jobs", type=click.IntRange(min=1), default=1, show_default=True, help="Parallel warm workers.")
@click.option("--exercise", "exercise_ids", multiple=True, help="Grade only these exercises (repeatable).")
@click.option("--shard", default=None, help="Grade slice K of N of the students (stable, by name), e.g. 2/4.")
@click.option("--force", is_flag=True, help="Grade again students already graded in the output folder.")
@click.option("--no-dedupe", is_flag=True, help="Grade identical files once per student instead of once.")
@LANG_OPTION
@click.option("--strict", is_flag=True, help="A check skipped for a missing framework is an error.")
@click.option("--timeout", type=click.FloatRange(min=1), default=None, help="Wall-clock limit per exercise (s).")
def batch_cmd(root: Path, out: Path | None, jobs: int, exercise_ids: tuple[str, ...], shard: str | None,
              force: bool, no_dedupe: bool, lang: str | None, strict: bool, timeout: float | None) -> None:
    """Instructors: grade every sub-folder of ROOT (one per student); CSV gradebook + reports."""
    from grader import batch
    from grader.isolation.host import GraderFailure, Interrupted

    language = _lang(lang)
    try:
        opts = batch.BatchOptions(root=root, out=out or batch.default_out(root),
                                  exercises=_resolve(exercise_ids, language), jobs=jobs, force=force, shard=batch.parse_shard(shard), dedupe=not no_dedupe,
                                  lang=language, timeout=timeout, strict=strict)
        roster = batch.discover_students(root, opts.out)
    except batch.BatchError as exc:
        click.echo(str(exc), err=True)
        sys.exit(EXIT_USAGE)
    bar: list[_Bar] = []

    def on_start(total: int) -> None:
        n = len({s for s in roster if opts.shard is None or batch.shard_of(s, opts.shard[1]) == opts.shard[0]})
        click.echo(batch.MSG["start"].format(n=n, roster=len(roster), ex=len(opts.exercises), j=jobs).render(language),
                   err=True)
        if total and sys.stderr.isatty() and "NO_COLOR" not in os.environ:
            bar.append(_Bar(total))

    try:
        result = batch.run_batch(opts, on_start=on_start,
                                 on_job=lambda s, ex: bar[0].advance(f"{s} {ex}") if bar else None)
    except GraderFailure as exc:
        click.echo(f"{GRADER_FAILED.render(language)}\n{exc}", err=True)
        sys.exit(EXIT_GRADER)
    except Interrupted as exc:
        _interrupted(exc, language)
    finally:
        if bar:
            bar[0].stop()
    if result.skipped:
        click.echo(batch.MSG["resumed"].format(n=len(result.skipped)).render(language), err=True)
    if result.jobs_run < result.jobs_total:
        click.echo(batch.MSG["dedupe"].format(jobs=result.jobs_total, run=result.jobs_run).render(language), err=True)
    if "fallback" in result.modes:
        click.echo(batch.MSG["fallback"].format(why="see docs/isolation.md").render(language), err=True)
    click.echo(batch.MSG["done"].format(n=len(result.graded), s=result.seconds,
                                        csv=opts.out / "gradebook.csv").render(language))
    if result.report is not None:
        click.echo(batch.MSG["report"].format(html=result.report).render(language))
    elif result.report_note:
        click.echo(batch.MSG["no_report"].format(why=result.report_note).render(language), err=True)
    sys.exit(EXIT_OK)


@main.command("report")
@click.argument("out", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--submissions", type=click.Path(exists=True, file_okay=False, path_type=Path), default=None,
              help="The class's folder (one sub-folder per student), for similar submissions "
                   "(default: the one the last report used).")
@LANG_OPTION
def report_cmd(out: Path, submissions: Path | None, lang: str | None) -> None:
    """Instructors: the class report (report.html) of a `grade batch` output folder."""
    from grader import batch
    from grader.class_report import ReportUnavailable, write_report
    from grader.gradebook import GRADEBOOK_JSON, STUDENTS

    language = _lang(lang)
    if not (out / GRADEBOOK_JSON).is_file() and not (out / STUDENTS).is_dir():
        click.echo(LOOP["not_a_dir"].format(path=str(out / GRADEBOOK_JSON)).render(language), err=True)
        sys.exit(EXIT_USAGE)
    try:
        written = write_report(out, language, submissions)
    except ReportUnavailable as exc:
        click.echo(batch.MSG["no_report"].format(why=str(exc)).render(language), err=True)
        sys.exit(EXIT_GRADER)
    click.echo(batch.MSG["report"].format(html=written.html).render(language))
    sys.exit(EXIT_OK)


@main.group("gradebook")
def gradebook_group() -> None:
    """Instructors: work with `grade batch` outputs."""


@gradebook_group.command("merge")
@click.argument("outputs", nargs=-1, required=True, type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--out", "out", type=click.Path(file_okay=False, path_type=Path), required=True,
              help="Folder for the merged gradebook and reports.")
@click.option("--allow-missing", is_flag=True, help="Exit 0 even if some students were graded by no shard.")
@LANG_OPTION
def gradebook_merge_cmd(outputs: tuple[Path, ...], out: Path, allow_missing: bool, lang: str | None) -> None:
    """Join the outputs of `grade batch --shard K/N` runs; refuse overlaps, report missing students."""
    from grader import batch, gradebook

    language = _lang(lang)
    try:
        merged = gradebook.merge(list(outputs), out)
    except gradebook.MergeConflict as exc:
        click.echo(batch.MSG["merge_conflict"].format(who=str(exc)).render(language), err=True)
        sys.exit(EXIT_USAGE)
    click.echo(batch.MSG["merge_done"].format(n=len(merged.rows), csv=out / gradebook.GRADEBOOK_CSV).render(language))
    _merged_report(out, outputs, language)
    missing = merged.missing()
    if missing:
        click.echo(batch.MSG["merge_missing"].format(n=len(missing), who=", ".join(missing)).render(language), err=True)
        sys.exit(EXIT_OK if allow_missing else EXIT_FAILED)
    sys.exit(EXIT_OK)


def _merged_report(out: Path, outputs: tuple[Path, ...], lang: Lang) -> None:
    """The class report of a merged gradebook (the shards' submissions folder, if one recorded it)."""
    from grader import batch
    from grader.class_report import ReportUnavailable, recorded_submissions, write_report

    submissions = next((p for p in map(recorded_submissions, outputs) if p is not None), None)
    try:
        written = write_report(out, lang, submissions)
    except ReportUnavailable as exc:
        click.echo(batch.MSG["no_report"].format(why=str(exc)).render(lang), err=True)
        return
    click.echo(batch.MSG["report"].format(html=written.html).render(lang))


# -- grade export gradescope (grader/export/) ------------------------------------------------
EXPORT = {
    "done": T(ja="{path} を作りました（{n} ファイル、課題: {ids}、TensorFlow: {tf}）。"
                 "Gradescope の「Configure Autograder」でこの zip をアップロードしてください（docs/gradescope.md）",
              en="wrote {path} ({n} files; exercises: {ids}; TensorFlow: {tf}). Upload it on Gradescope's "
                 "\"Configure Autograder\" page (docs/gradescope.md)"),
    "solutions": T(ja="注意: 解答例（reference/）を含めています", en="note: the reference solutions (reference/) are included"),
}


@main.group("export")
def export_group() -> None:
    """Instructors: bundles that run the kit on other platforms."""


@export_group.command("gradescope")
@click.option("--exercise", "exercise_ids", multiple=True, help="An exercise of the assignment (repeatable; default: all).")
@click.option("--output", "output", type=click.Path(dir_okay=False, path_type=Path), default=Path("autograder.zip"),
              show_default=True, help="Where to write the zip.")
@LANG_OPTION
@click.option("--visibility", type=click.Choice(["visible", "after_due_date", "after_published", "hidden"]),
              default="visible", show_default=True, help="When students see each test's result.")
@click.option("--hide", "hide", multiple=True, metavar="exN[:CHECK_GLOB]",
              help="Tests students see only after the due date (repeatable), e.g. ex3 or 'ex3:*edge*'.")
@click.option("--view", type=click.Choice(["per-check", "per-exercise"]), default="per-check", show_default=True,
              help="One Gradescope test per check, or one per exercise.")
@click.option("--timeout", type=click.FloatRange(min=1), default=None, help="Wall-clock limit per exercise (s).")
@click.option("--include-solutions", is_flag=True, help="Ship reference/ too (never needed to grade).")
def export_gradescope_cmd(exercise_ids: tuple[str, ...], output: Path, lang: str | None, visibility: str,
                          hide: tuple[str, ...], view: str, timeout: float | None, include_solutions: bool) -> None:
    """The autograder zip for Gradescope: setup.sh, run_autograder and the kit for these exercises."""
    from grader.export.gradescope import build
    from grader.export.settings import AutograderSettings, SettingsError

    language = _lang(lang)
    exercises = _resolve(exercise_ids, language)
    try:
        settings = AutograderSettings(exercises=tuple(ex.id for ex in exercises), lang=language, visibility=visibility,
                                      hide=tuple(hide), view=view, timeout=timeout, solutions=include_solutions)
    except SettingsError as exc:
        click.echo(str(exc), err=True)
        sys.exit(EXIT_USAGE)
    bundle = build(settings, output)
    click.echo(EXPORT["done"].format(path=str(output), n=len(bundle.entries), ids=", ".join(settings.exercises),
                                     tf="yes" if bundle.tensorflow else "no").render(language))
    if include_solutions:
        click.echo(EXPORT["solutions"].render(language), err=True)


if __name__ == "__main__":
    main()
