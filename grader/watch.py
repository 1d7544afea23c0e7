"""`grade watch [exN]`: the learner's loop.

Re-grades the exercise every time its file is saved (the `watchfiles` library: inotify /
FSEvents / polling), clears the screen and shows the score, the first failing check with
its counter-example and the idea to revisit, and the hints asked for so far. Keys:
h hint, n next, l list, r re-grade, q quit (single keys in a terminal; in a pipe, one
letter per line).

Without an exercise it follows the course: it starts at the first exercise not passed yet
and, when that one passes, moves on to the next unfinished one. Scores are recorded in the
progress file as `grade exN` does (this is the learner's own loop, whatever folder it
watches), so `grade list` shows them.
"""

from __future__ import annotations

import os
import queue
import select
import sys
import threading
import time
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from grader import catalog
from grader.catalog import Exercise
from grader.i18n import Lang, T
from grader.learner import GRADER_FAILED, INTERRUPTED
from grader.progress import Progress
from grader.results import ExerciseResult, full_message

UI = {
    "title": T(ja="grade watch — 保存するたびに採点します", en="grade watch — grading on every save"),
    "keys": T(ja="[h] ヒント  [n] 次へ  [l] 一覧  [r] 再採点  [q] 終了",
              en="[h] hint  [n] next  [l] list  [r] re-grade  [q] quit"),
    "save": T(ja="ファイルを保存すると自動で再採点します", en="save the file to re-grade"),
    "grading": T(ja="採点中: {id} …", en="grading {id} …"),
    "graded_at": T(ja="{time} に採点", en="graded at {time}"),
    "score": T(ja="得点", en="score"),
    "passed": T(ja="すべてのチェックに合格しました！", en="All checks passed!"),
    "solution": T(ja="解答例と比べる: grade diff {id}（解答例: grade solution {id}）",
                  en="compare with the reference: grade diff {id} (reference: grade solution {id})"),
    "press_n": T(ja="[n] で次の課題へ", en="press [n] for the next exercise"),
    "more_failing": T(ja="ほかに {n} 個のチェックが不合格です", en="{n} more failing check(s)"),
    "first_failing": T(ja="最初の不合格チェック", en="first failing check"),
    "same_reason": T(ja="{n} 個のチェックがこの 1 つの原因で不合格です", en="{n} checks fail for this one reason"),
    "hint": T(ja="ヒント {n}/{total}", en="hint {n}/{total}"),
    "no_hints": T(ja="この課題にはヒントがありません", en="this exercise has no hints"),
    "no_hint_needed": T(ja="合格済みなのでヒントは使いませんでした（n で次の課題へ）",
                        en="passed already, so no hint was used (n: next exercise)"),
    "last_hint": T(ja="（最後のヒントです）", en="(the last hint)"),
    "moved_on": T(ja="{done} に合格しました ✓ — 次は {next} です", en="{done} passed ✓ — now {next}"),
    "all_done": T(ja="すべての課題に合格しました！おつかれさまでした 🎉",
                  en="Every exercise has passed! Well done 🎉"),
    "last": T(ja="これが最後の課題です", en="this is the last exercise"),
    "list_title": T(ja="課題一覧", en="exercises"),
    "back": T(ja="何かキーを押すと戻ります", en="press any key to go back"),
    "bye": T(ja="watch を終了しました", en="watch stopped"),
    "file": T(ja="ファイル", en="file"),
    "exercise": T(ja="課題", en="exercise"),
    "new": T(ja="未採点", en="not graded"),
    "recheck": T(ja="要再採点", en="re-check"),
    "unfixed": T(ja="未修正", en="not fixed yet"),
    "current": T(ja="← いまの課題", en="← current"),
}
_MARK = {"passed": "[green]✓[/]", "failed": "[red]✗[/]", "error": "[red]![/]", "skipped": "[yellow]-[/]"}


class KeyReader:
    """Single keys from a terminal (cbreak mode, restored on exit), or letters from a pipe.

    At end of input (e.g. stdin is /dev/null) it stops reading; saving still re-grades and
    Ctrl-C quits."""

    def __init__(self, stream: Any = None) -> None:
        stream = stream if stream is not None else sys.stdin
        try:
            self.fd: int | None = stream.fileno()
        except (AttributeError, OSError, ValueError):
            self.fd = None
        self.tty = self.fd is not None and os.isatty(self.fd)
        self._saved: Any = None
        self._pending: list[str] = []

    def __enter__(self) -> "KeyReader":
        if self.tty:
            import termios
            import tty

            assert self.fd is not None
            self._saved = termios.tcgetattr(self.fd)
            tty.setcbreak(self.fd)
        return self

    def __exit__(self, *exc: object) -> None:
        if self._saved is not None:
            import termios

            termios.tcsetattr(self.fd, termios.TCSADRAIN, self._saved)
            self._saved = None

    def poll(self, timeout: float) -> str | None:
        """The next key pressed within `timeout` seconds, lower-cased; None when none."""
        if self._pending:
            return self._pending.pop(0)
        if self.fd is None:
            time.sleep(timeout)
            return None
        ready, _, _ = select.select([self.fd], [], [], timeout)
        if not ready:
            return None
        data = os.read(self.fd, 64)
        if not data:  # end of input: keep watching files, stop reading keys
            self.fd = None
            return None
        text = data.decode("utf-8", "replace")
        if "\x1b" in text:  # an arrow or function key: not one of ours
            text = text.split("\x1b")[0]
        # In a terminal every key counts (space or Enter leaves the list); in a pipe, letters
        # come one per line and the line breaks are not keys.
        self._pending = [c.lower() for c in text if self.tty or not c.isspace()]
        return self._pending.pop(0) if self._pending else None


class FileWatcher:
    """Reports saves of one file name in `folder` (editors that write a temporary file and
    rename it over the original are seen too: the folder is watched, not the inode)."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.name = ""
        self._changes: "queue.Queue[object]" = queue.Queue()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self.error: BaseException | None = None

    def __enter__(self) -> "FileWatcher":
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join(timeout=2)

    def _run(self) -> None:
        import watchfiles

        try:
            for changes in watchfiles.watch(self.folder, watch_filter=self._wanted, stop_event=self._stop,
                                            recursive=False, debounce=400, step=50, rust_timeout=500,
                                            raise_interrupt=False):
                self._changes.put(changes)
        except BaseException as exc:  # noqa: BLE001  (shown on screen; Ctrl-C still quits)
            self.error = exc

    def _wanted(self, change: object, path: str) -> bool:
        return Path(path).name == self.name

    def changed(self) -> bool:
        """Whether the file was saved since the last call."""
        seen = False
        while True:
            try:
                self._changes.get_nowait()
                seen = True
            except queue.Empty:
                return seen


class WatchSession:
    """The state of one `grade watch`: which exercise, its last result, what is on screen."""

    def __init__(self, exercises: list[Exercise], start: Exercise | None, folder: Path, lang: Lang,
                 *, timeout: float | None = None, console: Console | None = None,
                 keys: KeyReader | None = None) -> None:
        self.exercises = exercises
        self.follow = start is None
        self.current: Exercise | None = start
        self.folder = folder
        self.lang = lang
        self.timeout = timeout
        self.keys = keys or KeyReader()
        interactive = sys.stdout.isatty()
        self.console = console or Console(force_terminal=interactive, no_color=not interactive or "NO_COLOR" in os.environ,
                                          highlight=False)
        self.result: ExerciseResult | None = None
        self.error: str | None = None
        self.banner: str | None = None
        self.passed_here: set[str] = set()
        self.listing = False

    # ------------------------------------------------------------------ texts
    def t(self, key: str, **kw: Any) -> str:
        text = UI[key]
        return (text.format(**kw) if kw else text).render(self.lang)

    # ---------------------------------------------------------------- grading
    def grade_current(self, watcher: FileWatcher | None = None) -> None:
        from grader.isolation.host import GraderFailure
        from grader.learner import grade_for_learner

        ex = self.current
        assert ex is not None
        self.console.print(f"[dim]{escape(self.t('grading', id=ex.id))}[/]")
        while True:
            try:
                self.result = grade_for_learner([ex], self.folder, timeout=self.timeout)[0]
                self.error = None
            except GraderFailure as exc:
                self.result, self.error = None, str(exc)
            if watcher is None or not watcher.changed():
                break  # saved again while grading: grade the newest version instead
        self.graded_at = time.strftime("%H:%M:%S")
        if self.result is not None and self.result.passed:
            self.passed_here.add(ex.id)

    def next_unfinished(self, after: Exercise | None) -> Exercise | None:
        candidates = [e for e in self.exercises if after is None or e.id != after.id]
        return Progress().first_unfinished(candidates, after=after, also_passed=self.passed_here)

    def after_grading(self, watcher: FileWatcher | None) -> None:
        """Following the course: a pass moves on to the next unfinished exercise."""
        while self.follow and self.current is not None and self.result is not None and self.result.passed:
            done = self.current
            self.current = self.next_unfinished(done)
            if self.current is None:
                self.banner = self.t("all_done")
                return
            self.banner = self.t("moved_on", done=done.id, next=self.current.id)
            if watcher is not None:
                watcher.name = self.current.filename
            self.grade_current(watcher)

    # ---------------------------------------------------------------- drawing
    def clear(self) -> None:
        if self.console.is_terminal:
            self.console.clear()
        else:
            self.console.rule()

    def draw(self) -> None:
        self.clear()
        c, lang = self.console, self.lang
        c.print(f"[bold]{escape(self.t('title'))}[/]")
        if self.banner:
            c.print(f"[bold green]{escape(self.banner)}[/]")
        ex = self.current
        if ex is None:
            c.print()
            c.print(f"[bold green]{escape(self.t('all_done'))}[/]")
            self._footer()
            return
        c.print()
        c.print(f"[bold]{ex.id}[/] {escape(ex.title.render(lang))}")
        c.print(f"[dim]{escape(self.t('file'))}: {escape(str(self.folder / ex.filename))} · "
                f"{escape(self.t('graded_at', time=getattr(self, 'graded_at', '--')))}[/]")
        c.print()
        if self.error is not None:
            c.print(f"[red]{escape(GRADER_FAILED.render(self.lang))}[/]")
            for line in self.error.splitlines()[-15:]:
                c.print(f"  {escape(line)}")
        elif self.result is not None:
            self._result(self.result)
        if self.result is None or not self.result.passed:
            self._hints(ex)
        self._footer()

    def _result(self, r: ExerciseResult) -> None:
        c, lang = self.console, self.lang
        colour = "green" if r.passed else ("yellow" if r.score > 0 else "red")
        marks = " ".join(_MARK.get(ch.status, "?") for ch in r.checks)
        c.print(f"{escape(self.t('score'))}: [bold {colour}]{r.score:g}/{r.max_score:g}[/]  {marks}")
        c.print()
        if r.passed:
            c.print(f"[bold green]✓ {escape(self.t('passed'))}[/]")
            c.print(f"[dim]{escape(self.t('solution', id=r.id))}[/]")
            if not self.follow:
                c.print(f"[dim]{escape(self.t('press_n'))}[/]")
            return
        if r.message is not None and r.status != "graded":
            for line in r.message.render(lang).splitlines():
                c.print(f"[red]{escape(line)}[/]")
            return
        failing = [ch for ch in r.checks if ch.status in ("failed", "error")]
        if not failing:
            return
        from grader.reports.text import Entry, group

        entry = next(iter(group(r.checks, lang)), None) or Entry(failing[0])  # the first reason and its checks
        first = entry.lead
        c.print(f"[red]✗[/] [bold]{escape(first.labelled(lang))}[/] [dim]({escape(self.t('first_failing'))})[/]")
        if entry.others:
            c.print(f"    [bold]{escape(self.t('same_reason', n=len(entry.checks)))}[/]")
        for line in (full_message(first, lang) or "").splitlines():
            c.print(f"    {escape(line)}")
        if len(failing) > len(entry.checks):
            c.print(f"[dim]  … {escape(self.t('more_failing', n=len(failing) - len(entry.checks)))}[/]")

    def _hints(self, ex: Exercise) -> None:
        shown = Progress().hints_shown(ex)
        hints = ex.hints
        for i in range(min(shown, len(hints))):
            self.console.print()
            last = f" {self.t('last_hint')}" if i + 1 == len(hints) else ""
            self.console.print(f"[cyan]{escape(self.t('hint', n=i + 1, total=len(hints)) + last)}:[/] "
                               f"{escape(hints[i].render(self.lang))}")

    def _footer(self) -> None:
        self.console.print()
        self.console.rule(style="dim")
        self.console.print(f"{escape(self.t('keys'))}  [dim]· {escape(self.t('save'))}[/]")

    def draw_list(self) -> None:
        self.clear()
        store = Progress()
        table = Table(title=self.t("list_title"))
        table.add_column("")
        table.add_column(self.t("exercise"))
        table.add_column(self.t("score"))
        table.add_column("")
        for e in self.exercises:
            state, entry = store.status(e)
            if state == "new":
                score = self.t("new")
            elif state == "recheck":
                score = self.t("recheck")
            elif state == "unfixed":
                score = self.t("unfixed") + (f" {entry['score']:g}/{entry['max_score']:g}" if "score" in entry else "")
            else:
                score = f"{entry['score']:g}/{entry['max_score']:g}"
            mark = "[green]✓[/]" if state == "passed" else ("[yellow]↻[/]" if state == "recheck" else "·")
            here = self.t("current") if self.current is not None and e.id == self.current.id else ""
            table.add_row(mark, f"{e.id} {escape(e.title.render(self.lang))}", escape(score), escape(here))
        self.console.print(table)
        self.console.print(f"[dim]{escape(self.t('back'))}[/]")

    # ------------------------------------------------------------------- keys
    def on_key(self, key: str, watcher: FileWatcher | None) -> bool:
        """Handle one key; False to quit."""
        if key in ("q", "\x04", "\x03"):
            return False
        if self.listing:
            self.listing = False
            self.draw()
            return True
        self.banner = None
        if key == "l":
            self.listing = True
            self.draw_list()
            return True
        if key == "h" and self.current is not None:
            if not self.current.hints:
                self.banner = self.t("no_hints")
            elif self.result is not None and self.result.passed:  # nothing to hint at: keep the hint
                self.banner = self.t("no_hint_needed")
            else:
                store = Progress()
                store.next_hint(self.current)
                store.save()
        elif key == "n" and self.current is not None:
            nxt = self.next_unfinished(self.current) if self.follow else \
                next((e for e in self.exercises if e.number > self.current.number), None)
            if nxt is None:
                self.banner = self.t("last")
            else:
                self.current = nxt
                if watcher is not None:
                    watcher.name = nxt.filename
                self.grade_current(watcher)
                self.after_grading(watcher)
        elif key == "r" and self.current is not None:
            self.grade_current(watcher)
            self.after_grading(watcher)
        else:
            return True
        self.draw()
        return True

    # ------------------------------------------------------------------- loop
    def run(self) -> int:
        if self.current is None:
            self.current = self.next_unfinished(None)
        try:
            with self.keys, FileWatcher(self.folder) as watcher:
                if self.current is not None:
                    watcher.name = self.current.filename
                    self.grade_current(watcher)
                    self.after_grading(watcher)
                self.draw()
                while True:
                    key = self.keys.poll(0.1)
                    if key is not None and not self.on_key(key, watcher):
                        break
                    if watcher.changed() and self.current is not None:
                        self.listing = False
                        self.banner = None
                        self.grade_current(watcher)
                        self.after_grading(watcher)
                        self.draw()
                    if watcher.error is not None:
                        self.console.print(f"[red]{escape(str(watcher.error))}[/]")
                        return 3
        except KeyboardInterrupt as exc:
            status = getattr(exc, "exit_status", None)  # host.Interrupted: grading was cut, nothing left running
            if status is not None:
                self.console.print(f"[red]{escape(INTERRUPTED.render(self.lang))}[/]")
                return int(status)
        self.console.print(f"[dim]{escape(self.t('bye'))}[/]")
        return 0


def watch(query: str | None, folder: Path, lang: Lang, timeout: float | None = None) -> int:
    """Entry point for the CLI: `grade watch [exN] [--submission DIR]`."""
    from grader.solutions import remember_stubs

    exercises = catalog.discover()
    remember_stubs(exercises)
    start = catalog.resolve(query) if query else None
    return WatchSession(exercises, start, folder, lang, timeout=timeout).run()
