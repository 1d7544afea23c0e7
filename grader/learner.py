"""Grading the learner's own work: the one path behind `grade ex3`, `grade watch` and
`check("ex3")` in a notebook.

Each of them grades, keeps `grade reset` able to restore untouched stubs, records the
score that `grade list` shows, and says the same words when the grader itself fails:

    results = grade_for_learner([catalog.resolve("ex3")], catalog.KIT_ROOT / "exercises")
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Callable

from grader import catalog
from grader.i18n import T

if TYPE_CHECKING:  # the host (and what it imports) loads only when something is graded
    from grader.isolation.host import Job
    from grader.results import ExerciseResult

INTERRUPTED = T(ja="採点を中断しました（採点のプロセスはすべて終了しています）",
                en="grading interrupted (every grading process has ended)")
GRADER_FAILED = T(ja="採点器自体が失敗しました（あなたのコードのせいではありません）:",
                  en="the grader itself failed (not your code's fault):")


def grade_for_learner(exercises: list[catalog.Exercise], folder: Path, *, timeout: float | None = None,
                      strict: bool = False, record: bool = True, source: str = "file",
                      on_result: Callable[[Job, ExerciseResult], None] | None = None,
                      on_check: Callable[[Job, int, int], None] | None = None,
                      meanwhile: Callable[[], None] | None = None) -> list[ExerciseResult]:
    """Grade `exercises` from `folder`; with `record`, the scores become the learner's
    progress (`source`: "notebook" when `check()` graded a notebook's definitions). Raises `GraderFailure` when the grader itself fails (exit status 3).
    `meanwhile`: the caller's own preparation (loading its report's renderer), done while
    the worker imports the frameworks."""
    from grader.isolation.host import GradeOptions, Job, grade
    from grader.progress import Progress
    from grader.solutions import remember_stubs

    def prepare() -> None:  # while the worker starts: the learner waits for that anyway
        remember_stubs(catalog.discover())
        if meanwhile:
            meanwhile()

    opts = GradeOptions(submission=folder, timeout=timeout, strict=strict)
    results = grade([Job(ex, folder) for ex in exercises], opts, on_result=on_result, on_check=on_check,
                    meanwhile=prepare)
    if record:
        store = Progress()
        for ex, res in zip(exercises, results):
            store.record(ex, res.score, res.max_score, res.passed, source)
        store.save()
    return results
