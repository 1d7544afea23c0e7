"""The grader's side of isolation: start workers, hand them jobs, build results from
what they report over the signed channel, and nothing else.

Every check the worker collected must report an outcome, or it is failed: an exercise
whose process exits, crashes or times out loses exactly the checks not yet reported.
Each worker runs on a private copy of the kit's code (`checks/`, `grader/`, the pytest
wiring), read-only where the kernel allows (see `grader.sandbox`); its files are hashed
after every job, and a job during which they changed scores 0 and the copy is rebuilt.
Where the read-only mounts are not available, the real kit's files are hashed too.
A worker killed or stopped by a submission is replaced; that job's unreported checks fail.
"""

from __future__ import annotations

import functools
import hashlib
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
DEFAULT_MEMORY_MB = 4096  # on top of what torch + TF reserve; measured: see docs/isolation.md
STARTUP_SLACK = 300.0
KIT_PARTS = ("grader", "checks")
KIT_FILES = ("conftest.py", "pyproject.toml")


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
    protect: list[Path] = field(default_factory=list)  # more folders no submission may write (batch output)
    output_limit_mb: int = 512  # largest file a check may write; bounds a flood of output too
    sandbox: str = "auto"  # "auto": namespaces where the kernel allows; "off": the portable defences only
    hide: list[Path] = field(default_factory=list)  # more folders student code may not read (other submissions)
    check_jobs: int | None = None  # check processes at once per exercise; None: the cores left per worker


@dataclass
class Job:
    exercise: Exercise
    submission: Path
    key: str = field(default_factory=lambda: secrets.token_hex(8))

    @functools.cached_property
    def framework(self) -> str:
        """What the worker imports for this job: the exercise's framework and those its file
        imports (read once: choosing the worker and its imports both ask)."""
        needs = {"none": set(), "torch": {"torch"}, "keras": {"keras"},
                 "both": {"torch", "keras"}}.get(self.exercise.framework, {self.exercise.framework})
        needs = needs | imported_frameworks(self.submission / f"{self.exercise.stem}.py")
        if {"torch", "keras"} <= needs:
            return "both"
        return next(iter(needs)) if needs else "none"


@dataclass
class WorkerInfo:
    """How a worker is confined (from its `ready` frame)."""

    mode: str = "fallback"
    reason: str = ""
    readonly: list[str] = field(default_factory=list)
    network: bool = True


_NEEDS_TENSORFLOW = frozenset({"keras", "both"})
# top-level import names -> the framework the worker imports for them
_FRAMEWORK_OF_IMPORT = {"torch": "torch", "tensorflow": "keras", "keras": "keras", "tf_keras": "keras"}


def imported_frameworks(source_file: Path) -> set[str]:
    """The frameworks a submission file imports ("torch", "keras"), read from its syntax tree,
    never run. A library's first import does things student code may not (torch dlopens its
    libraries, TensorFlow binds a socket and starts a process): imported by the worker before
    any student code, they are not held against a correct ex1 that merely imports torch."""
    import ast

    try:
        tree = ast.parse(source_file.read_text(encoding="utf-8", errors="replace"))
    except (OSError, SyntaxError, ValueError, RecursionError, MemoryError):
        return set()
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names.add(node.module.split(".")[0])
    return {_FRAMEWORK_OF_IMPORT[n] for n in names if n in _FRAMEWORK_OF_IMPORT}


def _worker_kinds(jobs: list[Job], workers: int) -> Callable[[Job], str]:
    """Which warm worker grades a job. A worker that imported TensorFlow too is a larger
    process, and every check process forked from it pays for that (page tables, copy-on-write):
    a torch-only check runs ~20% slower there. When each worker grades several jobs of both
    kinds, torch-only jobs get a worker of their own."""
    needs_tf = {j.key: j.framework in _NEEDS_TENSORFLOW for j in jobs}
    if len(jobs) <= workers or all(needs_tf.values()) or not any(needs_tf.values()):
        return lambda job: "all"
    return lambda job: "keras" if needs_tf[job.key] else "torch"


def _copy_kit(dest: Path) -> None:
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc", "mutants")
    for name in KIT_PARTS:
        shutil.copytree(KIT_ROOT / name, dest / name, ignore=ignore)
    for name in KIT_FILES:
        shutil.copy2(KIT_ROOT / name, dest / name)


@contextmanager
def private_kit() -> Iterator[Path]:
    """A throw-away copy of the code grading runs: checks, grader and pytest wiring."""
    tmp = Path(tempfile.mkdtemp(prefix="grade-kit-"))
    try:
        _copy_kit(tmp)
        yield tmp
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def tree_digest(root: Path, parts: tuple[str, ...] = KIT_PARTS + KIT_FILES) -> dict[str, str]:
    """sha256 of every file under `root/part` (names included: an added conftest.py or
    .pyc counts as a change)."""
    out: dict[str, str] = {}
    for part in parts:
        base = root / part
        if base.is_file():
            out[part] = hashlib.sha256(base.read_bytes()).hexdigest()
            continue
        for dirpath, dirnames, filenames in os.walk(base):
            dirnames.sort()
            for name in sorted(filenames):
                p = Path(dirpath) / name
                try:
                    out[str(p.relative_to(root))] = hashlib.sha256(p.read_bytes()).hexdigest()
                except OSError:
                    out[str(p.relative_to(root))] = "unreadable"
    return out


def changed_files(before: dict[str, str], after: dict[str, str]) -> list[str]:
    return sorted(k for k in before.keys() | after.keys() if before.get(k) != after.get(k))


REAL_KIT_PARTS = ("grader", "checks", "reference", "conftest.py", "pyproject.toml")


def python_roots() -> list[str]:
    """The Python installation grading runs on: a submission must not write there either."""
    from grader.plugin.guard import installation_roots

    return sorted({os.path.realpath(r) for r in installation_roots() if os.path.isdir(r)})


class WorkerDied(RuntimeError):
    """The worker process went away (or stopped answering) in the middle of a job."""


class Worker:
    """One `python -m grader.worker` process, its private kit and the signed channel it reports on."""

    def __init__(self, frameworks: list[str], protect: list[str], sandbox: str = "auto",
                 hide: list[str] | None = None, warm_up: bool = False) -> None:
        self.kit = Path(tempfile.mkdtemp(prefix="grade-kit-"))
        _copy_kit(self.kit)
        self.kit_digest = tree_digest(self.kit)
        self.tmp = Path(tempfile.mkdtemp(prefix="grade-tmp-"))
        self.key = bytearray(secrets.token_bytes(32))
        self.info = WorkerInfo()
        read_end, write_end = os.pipe()
        env = {k: v for k, v in os.environ.items() if not k.startswith(("GRADE_", "PYTEST_", "HYPOTHESIS_"))}
        # the private kit first; the user's own PYTHONPATH (where libraries may live) after it
        pythonpath = os.pathsep.join(p for p in (str(self.kit), os.environ.get("PYTHONPATH", "")) if p)
        env.update(PYTHONPATH=pythonpath, PYTHONHASHSEED="0", PYTHONDONTWRITEBYTECODE="1",
                   TF_CPP_MIN_LOG_LEVEL="3", KERAS_BACKEND="tensorflow", PYTHONUNBUFFERED="1",
                   # fewer threads: reproducible reductions, bounded address space under RLIMIT_AS,
                   # and two workers do not fight over the cores
                   MALLOC_ARENA_MAX="2", TF_NUM_INTRAOP_THREADS="1", TF_NUM_INTEROP_THREADS="1",
                   OMP_NUM_THREADS="1")
        for name in ("PYTHONSTARTUP", "PYTHONINSPECT", "PYTHONBREAKPOINT", "PYTHONSAFEPATH", "PYTHONUSERBASE"):
            env.pop(name, None)
        if "GRADE_MAX_EXAMPLES" in os.environ:
            env["GRADE_MAX_EXAMPLES"] = os.environ["GRADE_MAX_EXAMPLES"]
        self.stderr = tempfile.TemporaryFile()
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "grader.worker"],
            stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=self.stderr,
            pass_fds=(write_end,), start_new_session=True, cwd=self.kit, env=env,
        )
        os.close(write_end)
        self.receiver = channel.Receiver(read_end, self.key)
        self.read_end = read_end
        assert self.proc.stdin is not None
        self.proc.stdin.write(bytes(self.key))
        self._write({"fd": write_end, "frameworks": frameworks, "kit": str(self.kit), "tmp": str(self.tmp),
                     "protect": [str(self.kit), *protect], "runner_pid": os.getpid(), "sandbox": sandbox,
                     "warm_up": warm_up,
                     "hide": [str(self.kit / "checks"), *(hide or [])]})

    def start(self) -> WorkerInfo:
        ready = next(iter(self.events(time.monotonic() + STARTUP_SLACK)), None)
        if not ready or ready.get("kind") != "ready":
            raise GraderFailure(f"the grading worker did not start:\n{self.stderr_tail()}")
        self.info = WorkerInfo(mode=str(ready.get("mode", "fallback")), reason=str(ready.get("reason", "")),
                               readonly=list(ready.get("readonly", [])), network=bool(ready.get("network", True)))
        return self.info

    def _write(self, obj: dict[str, Any]) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.write((json.dumps(obj) + "\n").encode())
        self.proc.stdin.flush()

    def submit(self, job: dict[str, Any]) -> None:
        try:
            self._write(job)
        except (BrokenPipeError, OSError) as exc:
            raise WorkerDied(str(exc)) from exc

    def events(self, deadline: float) -> Iterator[dict[str, Any]]:
        return self.receiver.frames(deadline)

    def stderr_tail(self, limit: int = 4000) -> str:
        self.stderr.seek(0)
        return self.stderr.read().decode("utf-8", "replace")[-limit:]

    def kit_changes(self) -> list[str]:
        return changed_files(self.kit_digest, tree_digest(self.kit))

    def rebuild_kit(self) -> None:
        """A tampered private kit is thrown away; the worker must be restarted after this."""
        shutil.rmtree(self.kit, ignore_errors=True)
        self.kit.mkdir(parents=True, exist_ok=True)
        _copy_kit(self.kit)
        self.kit_digest = tree_digest(self.kit)

    def died_by_signal(self) -> bool:
        code = self.proc.poll()
        return code is not None and code < 0

    def close(self, remove_kit: bool = True) -> None:
        try:
            os.killpg(self.proc.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
        self.proc.wait()
        for fd in (self.read_end,):
            try:
                os.close(fd)
            except OSError:
                pass
        if self.proc.stdin:
            try:
                self.proc.stdin.close()
            except OSError:
                pass
        self.stderr.close()
        from grader.sandbox import kill_descendants

        kill_descendants(self.proc.pid, deadline_s=1.0)  # nothing normally: its session died with it
        shutil.rmtree(self.tmp, ignore_errors=True)
        if remove_kit:
            shutil.rmtree(self.kit, ignore_errors=True)


def usable_cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def _check_jobs(opts: GradeOptions, workers: int) -> int:
    """Checks of one exercise run side by side on the cores the other workers leave free
    (each in a process of its own: the outcome is the same as one at a time)."""
    if opts.check_jobs is not None:
        return max(1, opts.check_jobs)
    wanted = os.environ.get("GRADE_CHECK_JOBS", "")
    if wanted.isdigit():  # a shared machine or a CI runner that wants fewer cores used
        return max(1, int(wanted))
    return max(1, min(4, usable_cores() // max(1, workers)))


def _job_message(job: Job, kit: Path, opts: GradeOptions, check_jobs: int = 1) -> dict[str, Any]:
    ex = job.exercise
    return {
        "check_jobs": check_jobs,
        "id": job.key,
        "stem": ex.stem,
        "check_path": str(kit / "checks" / ex.check_path.name),
        "submission": str(job.submission.resolve()),
        "kit_root": str(kit),
        "check_timeout": min(opts.check_timeout or ex.check_timeout, opts.timeout),
        "memory_mb": opts.memory_mb,
        "output_limit_mb": opts.output_limit_mb,
        "sandbox": opts.sandbox,
        "timeout": opts.timeout,
        "select": opts.select,
    }


INTERRUPTED = T(ja="採点プロセスが途中で停止しました（提出コードが採点器のプロセスを止めた可能性があります）",
                en="grading was interrupted: the grading process was killed or stopped (by the submission?)")
TAMPERED = T(ja="採点中に採点用のファイルが書き換えられました: ", en="grading files were modified while this was graded: ")


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
        if kind == "collected" and not expected:
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
        if worker.proc.poll() is None or worker.died_by_signal():
            # killed or stopped from outside the grader's code: the job pays, grading goes on
            _finish(result, expected, reported, opts, timed_out=False, interrupted=True)
            raise WorkerDied(result)  # type: ignore[arg-type]
        raise GraderFailure(f"the grading worker stopped answering during {ex.id}:\n{worker.stderr_tail()}")
    if not expected and result.status == "graded":
        raise GraderFailure(f"no checks were collected for {ex.id}:\n{worker.stderr_tail()}")
    _finish(result, expected, reported, opts, timed_out=timed_out, interrupted=False)
    return result


def _finish(result: ExerciseResult, expected: dict[str, CheckResult], reported: set[str], opts: GradeOptions,
            *, timed_out: bool, interrupted: bool) -> None:
    for name, check in expected.items():
        if name not in reported:
            if timed_out:
                check.status = "failed"
                check.message = T(ja=f"課題全体の制限時間 {opts.timeout:g} 秒を超えました",
                                  en=f"timed out after {opts.timeout:g} s (the exercise's time limit)")
            elif interrupted:
                check.status = "error"
                check.message = INTERRUPTED
            else:
                check.status = "error"
                check.message = T(ja="このチェックは結果を報告しませんでした（プロセスが途中で終了）",
                                  en="this check never reported (the process ended early)")
    if timed_out and result.status == "graded":
        result.status = "timeout"
        result.message = T(ja=f"{opts.timeout:g} 秒で時間切れ", en=f"timed out after {opts.timeout:g} s")
    if interrupted and result.status == "graded":
        result.status = "error"
        result.message = INTERRUPTED
    result.checks = list(expected.values())


def _zero_for_tampering(result: ExerciseResult, files: list[str]) -> None:
    shown = ", ".join(files[:5]) + (" …" if len(files) > 5 else "")
    result.status = "error"
    result.message = TAMPERED + T.same(shown)
    for check in result.checks:
        if check.status in ("passed", "skipped"):
            check.status = "failed"
            check.message = TAMPERED + T.same(shown)


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


def _set_dumpable_false() -> None:
    # a submission (same user) must not read the grader's memory or its stdout through /proc
    try:
        from grader.sandbox import set_dumpable

        set_dumpable(False)
    except Exception:  # pragma: no cover
        pass


def grade(
    jobs: list[Job],
    opts: GradeOptions,
    *,
    workers: int = 1,
    on_result: Callable[[Job, ExerciseResult], None] | None = None,
    on_ready: Callable[[WorkerInfo], None] | None = None,
) -> list[ExerciseResult]:
    """Grade every job, on `workers` warm worker processes; results in the jobs' order."""
    if not jobs:
        return []
    _set_dumpable_false()
    kind_of = _worker_kinds(jobs, max(1, min(workers, len(jobs))))
    frameworks = {kind: sorted({j.framework for j in jobs if kind_of(j) == kind})
                  for kind in {kind_of(j) for j in jobs}}
    todo: "queue.Queue[int]" = queue.Queue()
    for i in range(len(jobs)):
        todo.put(i)
    results: dict[int, ExerciseResult] = {}
    failures: list[BaseException] = []
    protect = sorted({str(KIT_ROOT), *python_roots(), *(str(p) for p in opts.protect),
                      *(str(j.submission.resolve()) for j in jobs)})
    # what would be an oracle if student code read it (a job's own folder stays readable)
    hide = sorted({*(str(KIT_ROOT / d) for d in ("reference", "tests", "checks")), *(str(p) for p in opts.hide)})
    lock = threading.Lock()
    watch_real_kit: list[dict[str, str] | None] = [None]

    def real_kit_changes() -> list[str]:
        with lock:
            before = watch_real_kit[0]
            if before is None:
                return []
            after = tree_digest(KIT_ROOT, REAL_KIT_PARTS)
            changed = changed_files(before, after)
            watch_real_kit[0] = after
            return changed

    def serve() -> None:
        warm: dict[str, Worker] = {}  # this thread's workers, by kind (see _worker_kinds)
        try:
            while True:
                try:
                    i = todo.get_nowait()
                except queue.Empty:
                    return
                kind = kind_of(jobs[i])
                worker = warm.get(kind)
                if worker is None:
                    worker = warm[kind] = Worker(frameworks[kind], protect, opts.sandbox, hide, warm_up=len(jobs) > n)
                    info = worker.start()
                    if info.mode != "namespaces":
                        with lock:
                            if watch_real_kit[0] is None:
                                watch_real_kit[0] = tree_digest(KIT_ROOT, REAL_KIT_PARTS)
                    if on_ready:
                        on_ready(info)
                restart = False
                try:
                    worker.submit(_job_message(jobs[i], worker.kit, opts, check_jobs))
                    result = _collect(worker, jobs[i], opts)
                except WorkerDied as died:
                    result = died.args[0] if died.args and isinstance(died.args[0], ExerciseResult) else None
                    if result is None:
                        ex = jobs[i].exercise
                        result = ExerciseResult(id=ex.id, slug=ex.slug, title=ex.title, status="error",
                                                message=INTERRUPTED)
                    restart = True
                changed = worker.kit_changes()
                if changed:
                    worker.rebuild_kit()
                    restart = True
                changed += real_kit_changes()
                if changed:
                    _zero_for_tampering(result, changed)
                if restart:
                    worker.close(remove_kit=False)
                    shutil.rmtree(worker.kit, ignore_errors=True)
                    del warm[kind]
                results[i] = result
                if on_result:
                    on_result(jobs[i], result)
        except BaseException as exc:
            failures.append(exc)
            while True:  # let the other threads stop: nothing more to take
                try:
                    todo.get_nowait()
                except queue.Empty:
                    break
        finally:
            for worker in warm.values():
                worker.close()

    n = max(1, min(workers, len(jobs)))
    check_jobs = _check_jobs(opts, n)
    dont_write = sys.dont_write_bytecode
    sys.dont_write_bytecode = True  # the kit's __pycache__ changes only if a submission writes it
    try:
        if n == 1:
            serve()
        else:
            threads = [threading.Thread(target=serve, daemon=True) for _ in range(n)]
            for t in threads:
                t.start()
            for t in threads:
                t.join()
    finally:
        sys.dont_write_bytecode = dont_write
    if failures:
        raise GraderFailure(str(failures[0])) from failures[0]
    return [results[i] for i in range(len(jobs))]
