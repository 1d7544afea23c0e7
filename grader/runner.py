"""The grader's side of isolation: start workers, hand them jobs, build results from
what they report over the signed channel, and nothing else.

Every check the worker collected must report an outcome, or it is failed: an exercise
whose process exits, crashes or times out loses exactly the checks not yet reported.
The workers run on a private copy of the kit's code (`checks/`, `grader/`, the pytest
wiring), so a submission that writes into the files it was loaded from changes a copy.
"""

from __future__ import annotations

import json
import os
import queue
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterator

from grader import channel
from grader.catalog import KIT_ROOT, Exercise
from grader.i18n import T
from grader.results import CheckResult, ExerciseResult

DEFAULT_TIMEOUT = 300.0
DEFAULT_MEMORY_MB = 4096
STARTUP_SLACK = 120.0


class GraderFailure(RuntimeError):
    """The grader itself failed (not the submission): exit status 3."""


@dataclass
class GradeOptions:
    submission: Path
    timeout: float = DEFAULT_TIMEOUT
    memory_mb: int = DEFAULT_MEMORY_MB
    strict: bool = False
    select: str | None = None
    check_timeout: float | None = None


@dataclass
class Job:
    exercise: Exercise
    submission: Path
    key: str = field(default_factory=lambda: secrets.token_hex(8))


def frameworks_for(exercises: list[Exercise]) -> list[str]:
    return sorted({e.framework for e in exercises})


@contextmanager
def private_kit() -> Iterator[Path]:
    """A throw-away copy of the code grading runs: checks, grader and pytest wiring."""
    tmp = Path(tempfile.mkdtemp(prefix="grade-kit-"))
    try:
        ignore = shutil.ignore_patterns("__pycache__", "*.pyc", "mutants")
        for name in ("grader", "checks"):
            shutil.copytree(KIT_ROOT / name, tmp / name, ignore=ignore)
        for name in ("conftest.py", "pyproject.toml"):
            shutil.copy2(KIT_ROOT / name, tmp / name)
        yield tmp
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


class Worker:
    """One `python -m grader.worker` process and the signed channel it reports on."""

    def __init__(self, kit: Path, frameworks: list[str]) -> None:
        self.key = secrets.token_bytes(32)
        read_end, write_end = os.pipe()
        env = {k: v for k, v in os.environ.items() if not k.startswith(("GRADE_", "PYTEST_", "HYPOTHESIS_"))}
        env.update(PYTHONPATH=str(kit), PYTHONHASHSEED="0", PYTHONDONTWRITEBYTECODE="1",
                   TF_CPP_MIN_LOG_LEVEL="3", KERAS_BACKEND="tensorflow", PYTHONUNBUFFERED="1")
        if "GRADE_MAX_EXAMPLES" in os.environ:
            env["GRADE_MAX_EXAMPLES"] = os.environ["GRADE_MAX_EXAMPLES"]
        self.stderr = tempfile.TemporaryFile()
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "grader.worker"],
            stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=self.stderr,
            pass_fds=(write_end,), start_new_session=True, cwd=kit, env=env,
        )
        os.close(write_end)
        self.receiver = channel.Receiver(read_end, self.key)
        self.read_end = read_end
        self._write({"key": self.key.hex(), "fd": write_end, "frameworks": frameworks})

    def _write(self, obj: dict[str, Any]) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.write((json.dumps(obj) + "\n").encode())
        self.proc.stdin.flush()

    def submit(self, job: dict[str, Any]) -> None:
        self._write(job)

    def events(self, deadline: float) -> Iterator[dict[str, Any]]:
        return self.receiver.frames(deadline)

    def stderr_tail(self, limit: int = 4000) -> str:
        self.stderr.seek(0)
        return self.stderr.read().decode("utf-8", "replace")[-limit:]

    def close(self) -> None:
        try:
            os.killpg(self.proc.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
        self.proc.wait()
        os.close(self.read_end)
        self.stderr.close()


def _job_message(job: Job, kit: Path, opts: GradeOptions) -> dict[str, Any]:
    ex = job.exercise
    return {
        "id": job.key,
        "stem": ex.stem,
        "check_path": str(kit / "checks" / ex.check_path.name),
        "submission": str(job.submission.resolve()),
        "kit_root": str(kit),
        "check_timeout": min(opts.check_timeout or ex.check_timeout, opts.timeout),
        "memory_mb": opts.memory_mb,
        "timeout": opts.timeout,
        "select": opts.select,
    }


def _collect(worker: Worker, job: Job, opts: GradeOptions) -> ExerciseResult:
    """Read one job's frames and build its result from them alone."""
    ex = job.exercise
    result = ExerciseResult(id=ex.id, slug=ex.slug, title=ex.title, status="graded")
    expected: dict[str, CheckResult] = {}
    reported: set[str] = set()
    ended = timed_out = False
    deadline = time.monotonic() + opts.timeout + STARTUP_SLACK
    for frame in worker.events(deadline):
        if frame.get("job") != job.key:
            continue
        kind = frame.get("kind")
        if kind == "collected":
            for c in frame["checks"]:
                expected[c["name"]] = CheckResult(name=c["name"], status="error", max_points=float(c["points"]))
        elif kind == "check" and frame.get("name") in expected and frame["name"] not in reported:
            reported.add(frame["name"])
            _apply_outcome(expected[frame["name"]], frame, opts)
        elif kind == "import":
            outcome = frame["outcome"]
            result.status = "missing" if outcome.get("missing") else "error"
            result.message = T.from_dict(outcome["message"]) if outcome.get("message") else None
        elif kind == "crash":
            result.status = "error"
            result.message = T(ja="採点器の内部エラー: ", en="internal grader error: ") + T.same(frame.get("error", ""))
        elif kind == "end":
            ended = True
            timed_out = bool(frame.get("timed_out"))
            result.duration_s = float(frame.get("duration_s", 0.0))
            break
    if not ended:
        raise GraderFailure(f"the grading worker stopped answering during {ex.id}:\n{worker.stderr_tail()}")
    if not expected and result.status == "graded":
        raise GraderFailure(f"no checks were collected for {ex.id}:\n{worker.stderr_tail()}")
    for name, check in expected.items():
        if name not in reported:
            if timed_out:
                check.status = "failed"
                check.message = T(ja=f"課題全体の制限時間 {opts.timeout:g} 秒を超えました",
                                  en=f"timed out after {opts.timeout:g} s (the exercise's time limit)")
            else:
                check.status = "error"
                check.message = T(ja="このチェックは結果を報告しませんでした（プロセスが途中で終了）",
                                  en="this check never reported (the process ended early)")
    if timed_out and result.status == "graded":
        result.status = "timeout"
        result.message = T(ja=f"{opts.timeout:g} 秒で時間切れ", en=f"timed out after {opts.timeout:g} s")
    result.checks = list(expected.values())
    return result


def _apply_outcome(check: CheckResult, frame: dict[str, Any], opts: GradeOptions) -> None:
    outcome = frame.get("outcome") or {}
    check.status = outcome.get("status", "error")
    msg = outcome.get("message")
    check.message = T.from_dict(msg) if msg else None
    check.help = T.from_dict(outcome["help"]) if outcome.get("help") else None
    check.expected = outcome.get("expected")
    check.actual = outcome.get("actual")
    check.counterexample = outcome.get("counterexample")
    check.traceback = outcome.get("traceback") or ""
    check.output = frame.get("output") or ""
    check.duration_s = float(frame.get("duration_s") or 0.0)
    if check.status == "skipped" and opts.strict and outcome.get("missing_framework"):
        check.status = "error"


def grade(
    jobs: list[Job],
    opts: GradeOptions,
    *,
    workers: int = 1,
    on_result: Callable[[Job, ExerciseResult], None] | None = None,
) -> list[ExerciseResult]:
    """Grade every job, on `workers` warm worker processes; results in the jobs' order."""
    if not jobs:
        return []
    frameworks = frameworks_for([j.exercise for j in jobs])
    todo: "queue.Queue[int]" = queue.Queue()
    for i in range(len(jobs)):
        todo.put(i)
    results: dict[int, ExerciseResult] = {}
    failures: list[BaseException] = []

    def serve(kit: Path) -> None:
        worker = Worker(kit, frameworks)
        try:
            ready = next(iter(worker.events(time.monotonic() + STARTUP_SLACK)), None)
            if not ready or ready.get("kind") != "ready":
                raise GraderFailure(f"the grading worker did not start:\n{worker.stderr_tail()}")
            while True:
                try:
                    i = todo.get_nowait()
                except queue.Empty:
                    return
                worker.submit(_job_message(jobs[i], kit, opts))
                results[i] = _collect(worker, jobs[i], opts)
                if on_result:
                    on_result(jobs[i], results[i])
        except BaseException as exc:
            failures.append(exc)
        finally:
            worker.close()

    with private_kit() as kit:
        threads = [threading.Thread(target=serve, args=(kit,), daemon=True) for _ in range(max(1, min(workers, len(jobs))))]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    if failures:
        raise GraderFailure(str(failures[0])) from failures[0]
    return [results[i] for i in range(len(jobs))]
