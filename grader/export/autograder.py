"""What runs inside Gradescope's container, once per submission (`run_autograder` calls it).

    AUTOGRADER_ROOT=/tmp/gs python -m grader.export.autograder     # the roots moved, for tests
    python -m grader.export.autograder --check                     # setup.sh: the image works

The pipeline, each step a function below:

1. `Roots.from_env`    /autograder (or AUTOGRADER_ROOT): source/, submission/, results/results.json
2. settings            autograder.json, checked when read (grader/export/settings.py)
3. `collect`           the student's files, from wherever in the upload they are (collect.py)
4. `grade`             the assignment's exercises only, each in the kit's isolation layers; the
                       upload and the results folder are unreadable and unwritable to student code
5. `shape`             Gradescope's results: one test per check (`--view per-check`, the same
                       tests as `grade --format gradescope`) or per exercise, with visibility
6. `write_results`     always: when any step fails, a results.json that says why, score 0

Exit status 0 whenever a results file was written; `run_autograder` writes one itself
otherwise, so Gradescope never shows an empty result.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from grader import catalog
from grader.export.collect import Found, collect
from grader.export.settings import SETTINGS_FILE, AutograderSettings
from grader.i18n import Lang, T

OUTPUT_LIMIT = 8000

MSG = {
    "graded_file": T(ja="{id}: {file} を採点しました", en="{id}: graded {file}"),
    "not_found": T(ja="{id}: {file} が見つかりません（この名前のファイルを提出してください）",
                   en="{id}: no {file} found (hand in a file of that name)"),
    "received": T(ja="受け取ったファイル: {files}", en="files received: {files}"),
    "received_none": T(ja="提出物にファイルが 1 つもありません", en="the submission holds no files at all"),
    "files": T(ja="採点したファイル", en="files graded"),
    "failed": T(ja="採点器自体が失敗しました（あなたのコードのせいではありません）。担当教員に連絡してください。",
                en="The autograder itself failed (not your code's fault): please tell your instructor."),
    "reason": T(ja="理由", en="reason"),
}


@dataclass(frozen=True)
class Roots:
    """Gradescope's folders: /autograder unless AUTOGRADER_ROOT says otherwise."""

    root: Path

    @classmethod
    def from_env(cls) -> "Roots":
        return cls(Path(os.environ.get("AUTOGRADER_ROOT") or "/autograder"))

    @property
    def source(self) -> Path:
        return self.root / "source"

    @property
    def submission(self) -> Path:
        return self.root / "submission"

    @property
    def results(self) -> Path:
        return self.root / "results" / "results.json"


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    roots = Roots.from_env()
    if argv == ["--check"]:
        return check(roots)
    started = time.monotonic()
    lang: Lang = "en"
    try:
        settings = AutograderSettings.load(roots.source / SETTINGS_FILE)
        lang = settings.lang  # type: ignore[assignment]
        data = grade_submission(roots, settings)
    except BaseException as exc:  # noqa: BLE001 -- whatever it was, the student gets a result that says so
        if isinstance(exc, KeyboardInterrupt):
            raise
        data = failure(exc, lang)
    data["execution_time"] = round(time.monotonic() - started)
    write_results(roots.results, data)
    return 0


def grade_submission(roots: Roots, settings: AutograderSettings) -> dict[str, Any]:
    from grader.isolation.host import GradeOptions, Job, grade
    from grader.results import Report

    exercises = [catalog.resolve(e) for e in settings.exercises]
    with tempfile.TemporaryDirectory(prefix="gradescope-submission-") as tmp:
        folder = Path(tmp)
        found = collect(roots.submission, exercises, folder)
        private = [p.resolve() for p in (roots.submission, roots.results.parent) if p.exists()]
        opts = GradeOptions(submission=folder, timeout=settings.timeout, protect=private, hide=private)
        jobs = only_installed_frameworks([Job(ex, folder) for ex in exercises])
        results = grade(jobs, opts)
    return shape(Report(results), found, settings, received(roots.submission))


def only_installed_frameworks(jobs: list[Any], installed: Any = None) -> list[Any]:
    """A torch-only assignment's image has no TensorFlow (setup.sh installs it only where an
    exercise needs it). A file that imports it anyway is graded by a torch worker: its own
    `import tensorflow` then fails and is reported as that file's import error, instead of
    the worker failing to start (which would read as the grader's fault)."""
    import importlib.util

    installed = installed or (lambda name: importlib.util.find_spec(name) is not None)
    if installed("tensorflow"):
        return jobs
    for job in jobs:
        if job.framework in ("keras", "both"):
            job.__dict__["framework"] = "torch"  # Job.framework is a cached property: set what it holds
    return jobs


def shape(report: Any, found: list[Found], settings: AutograderSettings, files: list[str]) -> dict[str, Any]:
    """Gradescope's results object for `report`, in the assignment's view and visibility."""
    from grader.reports import gradescope

    lang: Lang = settings.lang  # type: ignore[assignment]
    data = gradescope.results(report, lang)
    if settings.view == "per-check":
        checks = [(ex.id, c.name) for ex in report.exercises for c in ex.checks]
        for test, (ex_id, name) in zip(data["tests"], checks):
            test["visibility"] = settings.visibility_of(ex_id, name)
    else:
        data["tests"] = [_exercise_test(ex, settings) for ex in report.exercises]
    data["output"] = _files_section(found, files, lang) + "\n\n" + data["output"]
    return data


def _exercise_test(ex: Any, settings: AutograderSettings) -> dict[str, Any]:
    from grader.reports.text import render
    from grader.results import Report

    lang: Lang = settings.lang  # type: ignore[assignment]
    text = render(Report([ex]), lang, verbose=False, color=False)
    return {
        "name": f"{ex.id} {ex.title.render(lang)}",
        "number": ex.id.removeprefix("ex"),
        "score": ex.score,
        "max_score": ex.max_score,
        "status": "passed" if ex.passed else "failed",
        "output": text if len(text) <= OUTPUT_LIMIT else text[: OUTPUT_LIMIT - 1] + "…",
        "visibility": settings.visibility_of(ex.id),
    }


def _files_section(found: list[Found], files: list[str], lang: Lang) -> str:
    lines = [f"{MSG['files'].render(lang)}:"]
    for f in found:
        msg = MSG["graded_file"] if f.shown else MSG["not_found"]
        lines.append("  " + msg.format(id=f.exercise.id, file=f.shown or f.exercise.filename).render(lang))
    if not any(f.shown for f in found):
        shown = ", ".join(files[:20]) + (" …" if len(files) > 20 else "")
        lines.append("  " + (MSG["received"].format(files=shown) if files else MSG["received_none"]).render(lang))
    return "\n".join(lines)


def received(submission: Path) -> list[str]:
    """The upload's file names (for a submission where no exercise file was found)."""
    if not submission.is_dir():
        return []
    return sorted(str(p.relative_to(submission)) for p in submission.rglob("*") if p.is_file())


def failure(exc: BaseException, lang: Lang) -> dict[str, Any]:
    """The results of a grading that could not finish: score 0, and why."""
    reason = f"{type(exc).__name__}: {exc}".strip()
    return {
        "score": 0.0,
        "output": f"{MSG['failed'].render(lang)}\n{MSG['reason'].render(lang)}: {reason[:2000]}",
        "visibility": "visible",
        "stdout_visibility": "hidden",
        "tests": [],
    }


def write_results(path: Path, data: dict[str, Any]) -> None:
    """Write atomically: what a submission may have put there is replaced, never appended to."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}")
    tmp.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    os.replace(tmp, path)


def check(roots: Roots) -> int:
    """setup.sh's last step: the settings read, the exercises are there, the frameworks import."""
    from grader.export.gradescope import NEEDS_TENSORFLOW

    settings = AutograderSettings.load(roots.source / SETTINGS_FILE)
    exercises = [catalog.resolve(e) for e in settings.exercises]
    import torch  # noqa: F401

    if any(ex.framework in NEEDS_TENSORFLOW for ex in exercises):
        import tensorflow  # noqa: F401
    print(f"autograder ready: {', '.join(ex.id for ex in exercises)} (lang {settings.lang}, view {settings.view})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
