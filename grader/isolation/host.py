"""The host: the `grade` process's side of isolation. It starts workers, hands them jobs
(`JobSpec`), builds results from what they report over the signed channel, and nothing
else; no student code ever runs in it.

    results = grade([Job(exercise, Path("submissions/alice"))], GradeOptions(Path("submissions/alice")))

Every check the worker collected must report an outcome, or it is failed: an exercise
whose process exits, crashes or times out loses exactly the checks not yet reported.
Each worker runs on a private copy of the kit's code (`checks/`, `grader/`, the pytest
wiring), read-only where the kernel allows (see `grader.isolation.sandbox`); its files are hashed
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

from grader.isolation import bytecode, channel, sandbox
from grader.isolation.protocol import (DEFAULT_MEMORY_MB, DEFAULT_OUTPUT_LIMIT_MB, DEFAULT_TIMEOUT, CheckOutcome,
                                       JobSpec, Kind, Status, WorkerHeader)
from grader.catalog import KIT_ROOT, Exercise, Metadata
from grader.i18n import T
from grader.results import CheckResult, ExerciseResult

STARTUP_SLACK = 300.0  # a worker's imports on a loaded machine, on top of the exercise's limit
KIT_PARTS = ("grader", "checks")
KIT_FILES = ("conftest.py", "pyproject.toml")


class GraderFailure(RuntimeError):
    """The grader itself failed (not the submission): exit status 3."""


class Interrupted(KeyboardInterrupt):
    """Grading was interrupted (Ctrl-C, a closed terminal, SIGTERM); when it propagates out
    of `grade`, every worker and check process is gone. Exit status 128 + the signal."""

    def __init__(self, signum: int) -> None:
        super().__init__(signal.Signals(signum).name)
        self.signum = signum

    @property
    def exit_status(self) -> int:
        return 128 + self.signum


@contextmanager
def _interruptible() -> Iterator[None]:
    """SIGINT, SIGHUP and SIGTERM raise `Interrupted` in the main thread while grading."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def interrupt(signum: int, frame: Any) -> None:
        raise Interrupted(signum)

    previous = {sig: signal.signal(sig, interrupt) for sig in (signal.SIGINT, signal.SIGHUP, signal.SIGTERM)}
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


@dataclass
class GradeOptions:
    """How to grade: one record, resolved once (a `None` timeout is the default one)."""

    submission: Path
    timeout: float | None = DEFAULT_TIMEOUT
    memory_mb: int = DEFAULT_MEMORY_MB  # per check process (RLIMIT_AS, on top of the frameworks)
    exercise_memory_mb: int | None = None  # all of an exercise's processes (a cgroup); None: the exercise's budget
    strict: bool = False
    select: str | None = None
    check_timeout: float | None = None
    protect: list[Path] = field(default_factory=list)  # more folders no submission may write (batch output)
    output_limit_mb: int = DEFAULT_OUTPUT_LIMIT_MB  # largest file a check may write; bounds a flood of output too
    sandbox: str = "auto"  # "auto": namespaces where the kernel allows; "off": the portable defences only
    hide: list[Path] = field(default_factory=list)  # more folders student code may not read (other submissions)
    check_jobs: int | None = None  # check processes at once per exercise; None: the cores left per worker

    def __post_init__(self) -> None:
        if self.timeout is None:
            self.timeout = DEFAULT_TIMEOUT


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
    from grader.isolation.guard import installation_roots

    return sorted({os.path.realpath(r) for r in installation_roots() if os.path.isdir(r)})


class Worker:
    """One `python -m grader.isolation.worker` process, its private kit and the signed channel it reports on."""

    def __init__(self, frameworks: list[str], protect: list[str], sandbox: str = "auto",
                 hide: list[str] | None = None, warm_up: bool = False) -> None:
        self.kit = Path(tempfile.mkdtemp(prefix="grade-kit-"))
        _copy_kit(self.kit)
        bytecode.install(self.kit)
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
                   OMP_NUM_THREADS="1",
                   # no third-party hypothesis plugins (entry points): none is needed to grade, and
                   # scanning every installed distribution for them (trio's, with selenium) costs ~0.4 s
                   HYPOTHESIS_NO_PLUGINS="1")
        for name in ("PYTHONSTARTUP", "PYTHONINSPECT", "PYTHONBREAKPOINT", "PYTHONSAFEPATH", "PYTHONUSERBASE"):
            env.pop(name, None)
        if "GRADE_MAX_EXAMPLES" in os.environ:
            env["GRADE_MAX_EXAMPLES"] = os.environ["GRADE_MAX_EXAMPLES"]
        self.stderr = tempfile.TemporaryFile()
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "grader.isolation.worker"],
            stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=self.stderr,
            pass_fds=(write_end,), start_new_session=True, cwd=self.kit, env=env,
        )
        os.close(write_end)
        self.receiver = channel.Receiver(read_end, self.key)
        self.read_end = read_end
        assert self.proc.stdin is not None
        self.proc.stdin.write(bytes(self.key))
        self._write(WorkerHeader(fd=write_end, kit=str(self.kit), tmp=str(self.tmp), frameworks=frameworks,
                                 protect=[str(self.kit), *protect], hide=[str(self.kit / "checks"), *(hide or [])],
                                 runner_pid=os.getpid(), sandbox=sandbox, warm_up=warm_up).to_wire())
        # hashed while the worker imports the frameworks: no job (no student code) runs before `start`
        self.kit_digest = tree_digest(self.kit)
        bytecode.refresh(self.kit)  # for the next run (the first run compiles here, on the idle core)

    def start(self) -> WorkerInfo:
        ready = next(iter(self.events(time.monotonic() + STARTUP_SLACK)), None)
        if not ready or ready.get("kind") != Kind.READY.value:
            raise GraderFailure(f"the grading worker did not start:\n{self.stderr_tail()}")
        self.info = WorkerInfo(mode=str(ready.get("mode", "fallback")), reason=str(ready.get("reason", "")),
                               readonly=list(ready.get("readonly", [])), network=bool(ready.get("network", True)))
        return self.info

    def _write(self, obj: dict[str, Any]) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.write((json.dumps(obj) + "\n").encode())
        self.proc.stdin.flush()

    def submit(self, job: JobSpec) -> bool:
        """Hand the worker a job; False when it is gone."""
        try:
            self._write(job.to_wire())
            return True
        except (BrokenPipeError, OSError):
            return False

    def events(self, deadline: float) -> Iterator[dict[str, Any]]:
        return self.receiver.frames(deadline)

    def stderr_tail(self, limit: int = 4000) -> str:
        self.stderr.seek(0)
        return self.stderr.read().decode("utf-8", "replace")[-limit:]

    def kit_changes(self) -> list[str]:
        return changed_files(self.kit_digest, tree_digest(self.kit))

    def died_by_signal(self) -> bool:
        code = self.proc.poll()
        return code is not None and code < 0

    def close(self) -> None:
        """Kill the worker and everything below it, and remove its folders."""
        tree = sandbox.kill_tree(self.proc.pid)
        self.proc.wait()
        sandbox.reap(tree)  # orphans of the worker are re-parented to us (a subreaper)
        try:
            os.close(self.read_end)
        except OSError:
            pass
        if self.proc.stdin:
            try:
                self.proc.stdin.close()
            except OSError:
                pass
        self.stderr.close()
        shutil.rmtree(self.tmp, ignore_errors=True)
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


def job_spec(job: Job, kit: Path, opts: GradeOptions, check_jobs: int = 1) -> JobSpec:
    """The wire form of `job` for a worker whose private kit is `kit`."""
    ex = job.exercise
    return JobSpec(id=job.key, stem=ex.stem, check_path=str(kit / "checks" / ex.check_path.name),
                   submission=str(job.submission.resolve()), kit_root=str(kit),
                   check_timeout=min(opts.check_timeout or ex.check_budget, opts.timeout), timeout=opts.timeout,
                   memory_mb=opts.memory_mb, exercise_memory_mb=opts.exercise_memory_mb or ex.memory_budget_mb,
                   output_limit_mb=opts.output_limit_mb, sandbox=opts.sandbox,
                   select=opts.select, check_jobs=check_jobs)


INTERRUPTED = T(ja="採点プロセスが途中で停止しました（提出コードが採点器のプロセスを止めた可能性があります）",
                en="grading was interrupted: the grading process was killed or stopped (by the submission?)")
TAMPERED = T(ja="採点中に採点用のファイルが書き換えられました: ", en="grading files were modified while this was graded: ")


@dataclass
class _Collected:
    """One job's frames, as read so far."""

    result: ExerciseResult
    meta: Metadata
    expected: dict[str, CheckResult] = field(default_factory=dict)
    reported: set[str] = field(default_factory=set)
    ended: bool = False
    timed_out: bool = False  # the whole exercise ran out of time
    first_timeout: T | None = None  # the message of the first check cut at its own limit

    def take(self, frame: dict[str, Any], opts: GradeOptions) -> None:
        kind = frame.get("kind")
        if kind == Kind.COLLECTED.value and not self.expected:
            for c in frame["checks"]:
                self.expected[c["name"]] = CheckResult(name=c["name"], status="error", max_points=float(c["points"]),
                                                       description_ja=self.meta.description_ja(c["name"]))
        elif kind == Kind.CHECK.value and frame.get("name") in self.expected and frame["name"] not in self.reported:
            self.reported.add(frame["name"])
            if _apply_outcome(self.expected[frame["name"]], frame, opts) and self.first_timeout is None:
                self.first_timeout = self.expected[frame["name"]].message
        elif kind == Kind.IMPORT.value:
            outcome = CheckOutcome.from_wire(frame.get("outcome"))
            self.result.status = "missing" if outcome.missing else "error"
            self.result.message = outcome.message
        elif kind == Kind.CRASH.value:
            self.result.status = "error"
            self.result.message = T(ja="採点器の内部エラー: ", en="internal grader error: ") + T.same(frame.get("error", ""))
        elif kind == Kind.END.value:
            self.ended = True
            self.timed_out = bool(frame.get("timed_out"))
            self.result.duration_s = float(frame.get("duration_s", 0.0))
            peak = frame.get("memory_peak_mb")
            self.result.memory_peak_mb = float(peak) if isinstance(peak, (int, float)) else None


OnCheck = Callable[[Job, int, int], None]  # (job, checks reported, checks collected): progress


def _collect(worker: Worker, job: Job, opts: GradeOptions,
             on_check: OnCheck | None = None) -> tuple[ExerciseResult, bool]:
    """Read one job's frames and build its result from them alone; also whether the worker
    was lost (killed or stopped from outside the grader's code: the job pays, grading goes on)."""
    ex = job.exercise
    got = _Collected(ExerciseResult(id=ex.id, slug=ex.slug, title=ex.title, status="graded",
                                    textbook_adds=ex.textbook_adds, fix=ex.is_fix), ex.meta)
    for frame in worker.events(time.monotonic() + opts.timeout + STARTUP_SLACK):
        if frame.get("job") == job.key:
            got.take(frame, opts)
            if got.ended:
                break
            if on_check and frame.get("kind") in (Kind.COLLECTED.value, Kind.CHECK.value):
                on_check(job, len(got.reported), len(got.expected))
    if not got.ended:
        if worker.proc.poll() is None or worker.died_by_signal():
            _finish(got, opts, interrupted=True)
            return got.result, True
        raise GraderFailure(f"the grading worker stopped answering during {ex.id}:\n{worker.stderr_tail()}")
    if not got.expected and got.result.status == "graded":
        raise GraderFailure(f"no checks were collected for {ex.id}:\n{worker.stderr_tail()}")
    _finish(got, opts, interrupted=False)
    return got.result, False


def _finish(got: _Collected, opts: GradeOptions, *, interrupted: bool) -> None:
    """Every check that did not report fails, saying why; the result gets its checks."""
    result = got.result
    for name, check in got.expected.items():
        if name in got.reported:
            continue
        if got.timed_out:
            check.status = "failed"
            check.message = T(ja=f"課題全体の制限時間 {opts.timeout:g} 秒を超えました",
                              en=f"timed out after {opts.timeout:g} s (the exercise's time limit)")
        else:
            check.status = "error"
            check.message = INTERRUPTED if interrupted else T(
                ja="このチェックは結果を報告しませんでした（プロセスが途中で終了）",
                en="this check never reported (the process ended early)")
    if got.timed_out and result.status == "graded":
        result.status = "timeout"
        result.message = T(ja=f"{opts.timeout:g} 秒で時間切れ", en=f"timed out after {opts.timeout:g} s")
    elif got.first_timeout is not None and result.status == "graded":
        result.status = "timeout"
        result.message = got.first_timeout
    if interrupted and result.status == "graded":
        result.status = "error"
        result.message = INTERRUPTED
    result.checks = list(got.expected.values())


def _zero_for_tampering(result: ExerciseResult, files: list[str]) -> None:
    shown = ", ".join(files[:5]) + (" …" if len(files) > 5 else "")
    result.status = "error"
    result.message = TAMPERED + T.same(shown)
    for check in result.checks:
        if check.status in ("passed", "skipped"):
            check.status = "failed"
            check.message = TAMPERED + T.same(shown)


def _apply_outcome(check: CheckResult, frame: dict[str, Any], opts: GradeOptions) -> bool:
    """Fill `check` from its frame; whether it was cut at its time limit."""
    outcome = CheckOutcome.from_wire(frame.get("outcome"))
    check.status = outcome.status.value
    check.message = outcome.message
    check.help = outcome.help
    check.expected = outcome.expected
    check.actual = outcome.actual
    check.counterexample = outcome.counterexample
    check.traceback = outcome.traceback
    check.cause = outcome.cause
    output = frame.get("output")
    check.output = output if isinstance(output, str) else ""
    duration = frame.get("duration_s")
    check.duration_s = float(duration) if isinstance(duration, (int, float)) else 0.0
    if outcome.status is Status.SKIPPED and opts.strict and outcome.missing_framework:
        check.status = Status.ERROR.value
    return outcome.timed_out


def _harden_host() -> None:
    """A submission (same user) must not read the grader's memory or its stdout through
    /proc; orphans of a killed worker come back to us to be reaped."""
    try:
        sandbox.set_dumpable(False)
        sandbox.become_subreaper()
    except Exception:  # pragma: no cover
        pass


class _RealKitWatch:
    """Hashes of the real kit, taken once a worker runs without read-only mounts: a job
    during which they changed scores 0."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._digest: dict[str, str] | None = None

    def start(self) -> None:
        with self._lock:
            if self._digest is None:
                self._digest = tree_digest(KIT_ROOT, REAL_KIT_PARTS)

    def changes(self) -> list[str]:
        with self._lock:
            if self._digest is None:
                return []
            after = tree_digest(KIT_ROOT, REAL_KIT_PARTS)
            changed = changed_files(self._digest, after)
            self._digest = after
            return changed


class WorkerPool:
    """Grades jobs on `workers` threads, each keeping warm workers by kind (`_worker_kinds`).

    A worker lost in a job, or whose private kit changed, is closed and replaced for the
    next job; the first failure of the grader itself stops every thread."""

    def __init__(self, jobs: list[Job], opts: GradeOptions, workers: int,
                 on_result: Callable[[Job, ExerciseResult], None] | None = None,
                 on_ready: Callable[[WorkerInfo], None] | None = None, on_check: OnCheck | None = None,
                 meanwhile: Callable[[], None] | None = None) -> None:
        self.jobs, self.opts, self.on_result, self.on_ready = jobs, opts, on_result, on_ready
        self.on_check, self.meanwhile = on_check, meanwhile
        self.threads = max(1, min(workers, len(jobs)))
        self.kind_of = _worker_kinds(jobs, self.threads)
        self.frameworks = {kind: sorted({j.framework for j in jobs if self.kind_of(j) == kind})
                           for kind in {self.kind_of(j) for j in jobs}}
        self.check_jobs = _check_jobs(opts, self.threads)
        self.protect = sorted({str(KIT_ROOT), *python_roots(), *(str(p) for p in opts.protect),
                               *(str(j.submission.resolve()) for j in jobs)})
        # what would be an oracle if student code read it (a job's own folder stays readable)
        self.hide = sorted({*(str(KIT_ROOT / d) for d in ("reference", "tests", "checks")),
                            *(str(p) for p in opts.hide)})
        self.todo: "queue.Queue[int]" = queue.Queue()
        for i in range(len(jobs)):
            self.todo.put(i)
        self.results: dict[int, ExerciseResult] = {}
        self.failures: list[BaseException] = []
        self.real_kit = _RealKitWatch()
        self.live: set[Worker] = set()  # every thread's workers, for an interrupt to kill at once
        self.lock = threading.Lock()

    def run(self) -> list[ExerciseResult]:
        threads = [threading.Thread(target=self._serve, daemon=True) for _ in range(self.threads - 1)]
        for t in threads:
            t.start()
        try:
            self._serve()
            for t in threads:
                t.join()
        except Interrupted:
            self._abandon(threads)
            raise
        if self.failures:
            raise GraderFailure(str(self.failures[0])) from self.failures[0]
        return [self.results[i] for i in range(len(self.jobs))]

    def _abandon(self, threads: list[threading.Thread]) -> None:
        """Interrupted: nothing more is taken, every worker's session is killed now (their
        exercise and check processes die with them), the other threads wind down."""
        while self._next() is not None:
            pass
        with self.lock:
            for worker in self.live:
                sandbox.kill_tree(worker.proc.pid)
        for t in threads:
            t.join(timeout=2.0)

    def _serve(self) -> None:
        warm: dict[str, Worker] = {}  # this thread's workers, by kind
        try:
            while (i := self._next()) is not None:
                self.results[i] = result = self._grade(i, warm)
                if self.on_result:
                    self.on_result(self.jobs[i], result)
        except Interrupted:
            raise
        except BaseException as exc:
            self.failures.append(exc)
            while self._next() is not None:  # let the other threads stop: nothing more to take
                pass
        finally:
            for worker in warm.values():
                self._close(worker)

    def _close(self, worker: Worker) -> None:
        with self.lock:
            self.live.discard(worker)
        worker.close()

    def _next(self) -> int | None:
        try:
            return self.todo.get_nowait()
        except queue.Empty:
            return None

    def _grade(self, i: int, warm: dict[str, Worker]) -> ExerciseResult:
        job, kind = self.jobs[i], self.kind_of(self.jobs[i])
        worker = warm.get(kind) or self._start_worker(kind, warm)
        if worker.submit(job_spec(job, worker.kit, self.opts, self.check_jobs)):
            result, lost = _collect(worker, job, self.opts, self.on_check)
        else:
            ex = job.exercise
            result, lost = ExerciseResult(id=ex.id, slug=ex.slug, title=ex.title, status="error",
                                          message=INTERRUPTED), True
        own_kit = worker.kit_changes()
        changed = own_kit + self.real_kit.changes()
        if changed:
            _zero_for_tampering(result, changed)
        if lost or own_kit:
            self._close(warm.pop(kind))
        return result

    def _start_worker(self, kind: str, warm: dict[str, Worker]) -> Worker:
        worker = warm[kind] = Worker(self.frameworks[kind], self.protect, self.opts.sandbox, self.hide,
                                     warm_up=len(self.jobs) > self.threads)
        with self.lock:
            self.live.add(worker)
            meanwhile, self.meanwhile = self.meanwhile, None
        if meanwhile:
            meanwhile()
        info = worker.start()
        if info.mode != "namespaces":
            self.real_kit.start()
        if self.on_ready:
            self.on_ready(info)
        return worker


def grade(
    jobs: list[Job],
    opts: GradeOptions,
    *,
    workers: int = 1,
    on_result: Callable[[Job, ExerciseResult], None] | None = None,
    on_ready: Callable[[WorkerInfo], None] | None = None,
    on_check: OnCheck | None = None,
    meanwhile: Callable[[], None] | None = None,
) -> list[ExerciseResult]:
    """Grade every job, on `workers` warm worker processes; results in the jobs' order.
    `on_check` hears of every check reported (progress), `on_result` of every exercise.
    `meanwhile` runs once, on this thread, while the first worker imports the frameworks
    (the second or so in which the host waits anyway), before any submission code runs."""
    if not jobs:
        if meanwhile:
            meanwhile()
        return []
    _harden_host()
    dont_write = sys.dont_write_bytecode
    sys.dont_write_bytecode = True  # the kit's __pycache__ changes only if a submission writes it
    try:
        with _interruptible():
            return WorkerPool(jobs, opts, workers, on_result, on_ready, on_check, meanwhile).run()
    finally:
        sys.dont_write_bytecode = dont_write
