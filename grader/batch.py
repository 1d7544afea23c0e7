"""`grade batch DIR`: grade a class. Every sub-folder of DIR is one student's submission.

    grade batch submissions/ -j 2 --out grades/
    grade batch submissions/ --shard 2/4 --out grades-2/      # one CI matrix job of four
    grade gradebook merge grades-1/ grades-2/ grades-3/ grades-4/ --out grades/

Speed: `-j N` warm workers import torch/TensorFlow once each and fork a fresh process per
(submission, exercise) -- a fork after both imports costs ~0.1 s, an import ~5.5 s. Files
that are byte-for-byte identical in different submissions (an untouched stub, the same
file handed in twice) are graded once: grading is deterministic, so they get the same
result (`--no-dedupe` grades every copy).

Resumable: a student whose report is already in the output folder, graded from the same
files by the same checks, is skipped (unless `--force`), so an interrupted run picks up
where it stopped. Each student's reports are written as soon as their last exercise is
graded. The output folder and the submissions are read-only to the code being graded.

Sharding: `--shard K/N` grades the students whose name hashes to slice K of N: stable
(it depends on the name only, not on which other folders exist or their order) and
disjoint; `grade gradebook merge` joins the shards' outputs.
"""

from __future__ import annotations

import hashlib
import json
import re
import threading
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from grader import catalog
from grader.gradebook import STUDENTS, Gradebook, Row
from grader.i18n import Lang, T
from grader.results import ExerciseResult, Report

BATCH_META = "batch.json"
_SHARD = re.compile(r"^\s*(\d+)\s*/\s*(\d+)\s*$")


class BatchError(ValueError):
    """A usage error of `grade batch` (exit status 2)."""


def parse_shard(text: str | None) -> tuple[int, int] | None:
    """'2/4' -> (2, 4); K counts from 1."""
    if text is None:
        return None
    m = _SHARD.match(text)
    if not m:
        raise BatchError(f"--shard must look like K/N (e.g. 2/4), got {text!r}")
    k, n = int(m.group(1)), int(m.group(2))
    if n < 1 or not 1 <= k <= n:
        raise BatchError(f"--shard K/N needs 1 <= K <= N, got {text!r}")
    return k, n


def shard_of(student: str, n: int) -> int:
    """The shard (1..n) a student belongs to: from a hash of the name alone."""
    digest = hashlib.sha256(student.encode("utf-8")).digest()
    return int.from_bytes(digest[:8], "big") % n + 1


def discover_students(root: Path, out: Path | None = None) -> list[str]:
    """Sub-folders of `root`, by name; hidden ones and the output folder are not students."""
    if not root.is_dir():
        raise BatchError(f"{root} is not a folder")
    skip = out.resolve() if out is not None else None
    names = []
    for p in root.iterdir():
        if not p.is_dir() or p.name.startswith((".", "_")) or p.name == "__pycache__":
            continue
        if skip is not None and p.resolve() == skip:
            continue
        names.append(p.name)
    return sorted(names)


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def folder_digest(folder: Path, exclude: set[str]) -> str:
    """Digest of every file of a submission except the named ones (names included)."""
    h = hashlib.sha256()
    for p in sorted(folder.rglob("*")):
        if p.is_file() and p.name not in exclude and "__pycache__" not in p.parts:
            h.update(str(p.relative_to(folder)).encode() + b"\0" + p.read_bytes() + b"\0")
    return h.hexdigest()


def checks_fingerprint(exercises: list[catalog.Exercise]) -> str:
    from grader.progress import checks_fingerprint as one

    return _sha("".join(f"{ex.id}:{one(ex)};" for ex in exercises).encode())


@dataclass
class BatchOptions:
    root: Path
    out: Path
    exercises: list[catalog.Exercise]
    jobs: int = 1
    force: bool = False
    shard: tuple[int, int] | None = None
    dedupe: bool = True
    lang: Lang = "en"
    timeout: float | None = None
    strict: bool = False
    sandbox: str = "auto"
    report: bool = True  # write the class report (report.html) beside the gradebook


@dataclass
class BatchResult:
    students: list[str]  # of this shard
    graded: list[str]  # graded in this run
    skipped: list[str]  # already graded (resumed)
    roster: list[str]  # every student folder in DIR
    jobs_total: int = 0
    jobs_run: int = 0  # after de-duplication
    seconds: float = 0.0
    modes: set[str] = field(default_factory=set)
    gradebook: Gradebook | None = None
    report: Path | None = None  # report.html, when written
    report_note: str = ""  # why it was not (a library of the instructor extra is missing)


def _student_fingerprint(folder: Path, exercises: list[catalog.Exercise], checks: str) -> dict[str, Any]:
    files = {}
    for ex in exercises:
        p = folder / ex.filename
        files[ex.id] = _sha(p.read_bytes()) if p.is_file() else None
    others = folder_digest(folder, {ex.filename for ex in catalog.discover()}) if folder.is_dir() else ""
    return {"files": files, "others": others, "checks": checks}


def _already_graded(out: Path, student: str, fingerprint: dict[str, Any]) -> bool:
    meta = out / STUDENTS / student / BATCH_META
    report = out / STUDENTS / student / "report.json"
    if not (meta.is_file() and report.is_file()):
        return False
    try:
        recorded = json.loads(meta.read_text(encoding="utf-8"))
        json.loads(report.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return recorded.get("fingerprint") == fingerprint


def _write_student(out: Path, student: str, results: list[ExerciseResult], fingerprint: dict[str, Any],
                   lang: Lang) -> None:
    from grader.reports import gradescope, json_report

    report = Report(results)
    folder = out / STUDENTS / student
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "report.json").write_text(json_report.render(report, lang) + "\n", encoding="utf-8")
    (folder / "results.json").write_text(gradescope.render(report, lang) + "\n", encoding="utf-8")
    (folder / BATCH_META).write_text(json.dumps({"student": student, "fingerprint": fingerprint,
                                                 "graded_at": time.strftime("%Y-%m-%dT%H:%M:%S%z")},
                                                indent=2) + "\n", encoding="utf-8")


def _copy_result(result: ExerciseResult) -> ExerciseResult:
    import copy

    return copy.deepcopy(result)


def run_batch(opts: BatchOptions, *, on_job: Callable[[str, str], None] | None = None,
              on_start: Callable[[int], None] | None = None) -> BatchResult:
    """Grade the shard's students that need it and rewrite the output folder's gradebook."""
    from grader.isolation.host import GradeOptions, Job, grade

    roster = discover_students(opts.root, opts.out)
    students = [s for s in roster if opts.shard is None or shard_of(s, opts.shard[1]) == opts.shard[0]]
    exercise_files = {ex.filename for ex in catalog.discover()}
    checks = checks_fingerprint(opts.exercises)
    fingerprints = {s: _student_fingerprint(opts.root / s, opts.exercises, checks) for s in students}
    todo = [s for s in students if opts.force or not _already_graded(opts.out, s, fingerprints[s])]
    skipped = [s for s in students if s not in todo]
    started = time.monotonic()

    jobs, key_of = _distinct_jobs(opts, todo, fingerprints, exercise_files)
    total = len(todo) * len(opts.exercises)
    if on_start:
        on_start(total)

    waiting: dict[tuple[str, ...], list[tuple[str, str]]] = defaultdict(list)
    for (s, ex_id), key in key_of.items():
        waiting[key].append((s, ex_id))
    done: dict[str, dict[str, ExerciseResult]] = defaultdict(dict)
    lock = threading.Lock()
    order = {ex.id: i for i, ex in enumerate(opts.exercises)}
    result = BatchResult(students=students, graded=todo, skipped=skipped, roster=roster,
                         jobs_total=total, jobs_run=len(jobs))

    def finished(job: Job, res: ExerciseResult) -> None:
        key = key_of[(job.submission.name, job.exercise.id)]
        with lock:
            for s, ex_id in waiting[key]:
                done[s][ex_id] = res if s == job.submission.name else _copy_result(res)
                if on_job:
                    on_job(s, ex_id)
                if len(done[s]) == len(opts.exercises):
                    ordered = sorted(done[s].values(), key=lambda r: order[r.id])
                    _write_student(opts.out, s, ordered, fingerprints[s], opts.lang)

    opts.out.mkdir(parents=True, exist_ok=True)
    grade_opts = GradeOptions(submission=opts.root, timeout=opts.timeout, strict=opts.strict,
                              protect=[opts.out.resolve(), opts.root.resolve()], sandbox=opts.sandbox,
                              hide=[opts.root.resolve(), opts.out.resolve()])
    if jobs:
        grade(jobs, grade_opts, workers=opts.jobs, on_result=finished,
              on_ready=lambda info: result.modes.add(info.mode))
    result.seconds = time.monotonic() - started
    result.gradebook = _write_gradebook(opts, students, roster)
    if opts.report:
        _write_class_report(opts, result)
    return result


def _write_class_report(opts: BatchOptions, result: BatchResult) -> None:
    """report.html from the gradebook just written (grader/class_report/)."""
    from grader.class_report import ReportUnavailable, write_report

    try:
        result.report = write_report(opts.out, opts.lang, opts.root).html
    except ReportUnavailable as exc:
        result.report_note = str(exc)


def _distinct_jobs(opts: BatchOptions, todo: list[str], fingerprints: dict[str, dict],
                   exercise_files: set[str]) -> tuple[list[Any], dict[tuple[str, str], tuple[str, ...]]]:
    """One job per distinct (exercise, file content, other files): identical copies are
    graded once. Also each (student, exercise)'s key."""
    from grader.isolation.host import Job

    jobs: list[Job] = []
    key_of: dict[tuple[str, str], tuple[str, ...]] = {}
    seen: set[tuple[str, ...]] = set()
    for s in todo:
        folder = opts.root / s
        others = folder_digest(folder, exercise_files)
        for ex in opts.exercises:
            content = fingerprints[s]["files"][ex.id]
            key = (ex.id, content or "missing", others) if opts.dedupe else (ex.id, s)
            key_of[(s, ex.id)] = key
            if key not in seen:
                seen.add(key)
                jobs.append(Job(ex, folder))
    return jobs, key_of


def _write_gradebook(opts: BatchOptions, students: list[str], roster: list[str]) -> Gradebook:
    """This shard's gradebook, from its students' reports (not older reports of other folders)."""
    book = Gradebook(exercises=[ex.id for ex in opts.exercises])
    for s in students:
        report = opts.out / STUDENTS / s / "report.json"
        if report.is_file():
            book.add(Row.from_report(s, json.loads(report.read_text(encoding="utf-8"))))
    book.roster = roster
    book.shards = [f"{opts.shard[0]}/{opts.shard[1]}"] if opts.shard else []
    book.write(opts.out)
    return book


def default_out(root: Path) -> Path:
    return root.resolve().parent / f"{root.resolve().name}-grades"



# -- what `grade batch` / `grade gradebook merge` print (ja / en) ---------------------------
MSG = {
    "start": T(ja="{n} 人の提出物（全 {roster} 人中）、{ex} 課題、ワーカー {j} 個で採点します",
               en="grading {n} students (of {roster}), {ex} exercises, {j} workers"),
    "resumed": T(ja="採点済みのため {n} 人をスキップ（--force で再採点）",
                 en="skipped {n} students already graded (--force grades them again)"),
    "dedupe": T(ja="同一ファイルは 1 回だけ採点: {jobs} 件中 {run} 件を実行",
                en="identical files graded once: {run} of {jobs} gradings run"),
    "done": T(ja="完了: {n} 人を {s:.1f} 秒で採点。成績表: {csv}",
              en="done: graded {n} students in {s:.1f} s. Gradebook: {csv}"),
    "fallback": T(ja="注意: 名前空間による隔離が使えないため、移植可能な防御のみで採点しました（{why}）",
                  en="note: kernel namespaces are not available here; graded with the portable defences only ({why})"),
    "merge_conflict": T(ja="統合できません: 複数のシャードで採点された学生がいます: {who}",
                        en="cannot merge: students graded in more than one shard: {who}"),
    "merge_missing": T(ja="どのシャードでも採点されていない学生 ({n} 人): {who}",
                       en="students no shard graded ({n}): {who}"),
    "merge_done": T(ja="{n} 人を統合しました: {csv}", en="merged {n} students: {csv}"),
    "report": T(ja="クラスの採点レポート: {html}", en="class report: {html}"),
    "no_report": T(ja="クラスの採点レポートは作れませんでした: {why}", en="no class report: {why}"),
}
