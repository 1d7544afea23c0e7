"""The grading worker: imports the frameworks once, then grades one job at a time.

Started by the runner as `python -m grader.isolation.worker` in a session of its own. Its stdin
carries first the run's 32-byte secret (raw, read into a bytearray: no immutable copy),
then a JSON header (the frameworks to import, the folders to protect, a private temp
folder), then one JSON job per line. Before importing anything heavy the worker confines
itself (`grader.isolation.sandbox.confine_worker`: private mount and network namespaces, the kit,
its private copy, Python and the submissions read-only) where the kernel allows it, and
becomes undumpable. It then imports the frameworks and snapshots their module and class
dictionaries (`grader.isolation.guard.Baseline`) once.

For each job it forks an exercise process (a process group of its own, in a private
working folder and, where permitted, a PID namespace of its own) that runs pytest on the
check module with the `isolation` plugin; the exercise process forks once per check.
Forking after `import torch` / `import tensorflow` is what makes a batch fast: the ~5 s of
imports are paid once per worker, not once per student and exercise.

Outcomes go to the runner over the inherited channel fd, signed (see `grader.isolation.channel`).
"""

from __future__ import annotations

import gc
import importlib
import json
import os
import shutil
import signal
import sys
import tempfile
import time
from dataclasses import dataclass
from typing import Any

from grader.isolation import channel, sandbox
from grader.isolation.protocol import JobSpec, Kind, WorkerHeader

KEY_BYTES = 32


def _read_key(fd: int = 0) -> bytearray:
    key = bytearray(KEY_BYTES)
    view = memoryview(key)
    got = 0
    while got < KEY_BYTES:
        n = os.readv(fd, [view[got:]])
        if n == 0:
            raise SystemExit("grader.isolation.worker: no key on stdin")
        got += n
    return key


def _import_frameworks(frameworks: list[str], warm_up: bool = False) -> None:
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    if not {"torch", "both"} & set(frameworks):
        os.environ["GRADE_WITHOUT_TORCH"] = "1"  # checks.compare: Keras only, torch never loaded
    os.environ.setdefault("KERAS_BACKEND", "tensorflow")
    import numpy  # noqa: F401

    if {"torch", "both"} & set(frameworks):
        import torch  # noqa: F401
    if {"keras", "both"} & set(frameworks):
        import tensorflow  # noqa: F401
        import keras  # noqa: F401
    import hypothesis  # noqa: F401
    import pytest  # noqa: F401
    from _pytest import config, runner  # noqa: F401

    for name in config.default_plugins:  # pytest's own plugins: imported once here, not per exercise
        try:
            importlib.import_module(f"_pytest.{name}")
        except ImportError:
            pass
    from checks.warmup import warm_up_hypothesis

    gc.collect()
    gc.freeze()  # the frameworks' objects: the warm-up's own gc.collect() then skips them
    warm_up_hypothesis()  # ~0.15 s of one-off set-up, otherwise paid again by every check process

    if {"torch", "both", "keras"} & set(frameworks):
        # worth it when this worker grades several torch jobs: paid once, not once per exercise
        if warm_up and {"torch", "both"} & set(frameworks):
            from checks.warmup import warm_up_torch

            warm_up_torch()
        import checks.compare  # noqa: F401  (captures comparison functions now, before any student code)
    import checks.feedback  # noqa: F401
    import checks.submission  # noqa: F401
    import grader.isolation.guard  # noqa: F401
    import grader.isolation.check  # noqa: F401
    import grader.isolation.exercise  # noqa: F401
    import unittest  # noqa: F401


@dataclass
class _Shared:
    """What every job of this worker shares (set once in `main`, inherited by every fork)."""

    header: WorkerHeader
    trusted: tuple[str, ...]
    baseline: Any


def _exercise_process(job: JobSpec, out_fd: int, key: bytearray, reaper: sandbox.Reaper | None,
                      shared: _Shared, group: sandbox.MemoryGroup | None) -> int:
    """Runs in the forked exercise process: pytest over one check module."""
    import pytest

    from grader.isolation.check import Confinement
    from grader.isolation.exercise import Context, Isolation

    os.environ["GRADE_SUBMISSION"] = job.submission
    # No third-party pytest plugins (entry points): none is needed to grade, one (anyio's)
    # costs 2.5 s per exercise, and each would run in the process that holds the key.
    os.environ["PYTEST_DISABLE_PLUGIN_AUTOLOAD"] = "1"
    workdir = tempfile.mkdtemp(prefix="grade-")
    os.chdir(workdir)  # files a submission writes with relative paths land here, not in the kit
    header = shared.header
    confinement = Confinement(  # the cgroups too: a check may not move itself out of its memory budget
        submission=job.submission, protected=[*header.protect, job.submission, sandbox.CGROUP_ROOT], hidden=header.hide,
        trusted=shared.trusted, ancestors={sandbox.host_pid(), os.getppid(), header.runner_pid},
        baseline=shared.baseline, memory_mb=job.memory_mb, output_limit_mb=job.output_limit_mb)
    plugin = Isolation(job, Context(out_fd=out_fd, key=key, confinement=confinement, reaper=reaper, workdir=workdir,
                                    memory_group=group))
    args = [
        job.check_path,
        "-p", "no:cacheprovider", "-p", "no:randomly", "-p", "no:xdist", "-p", "no:timeout",
        "-p", "no:faulthandler", "-p", "no:pastebin", "-p", "no:debugging",
        "-q", "-s", "--no-header", "-o", "addopts=", "-o", "testpaths=",
        "--assert=plain",  # checks fail with CheckFailure, not bare asserts: no per-exercise AST rewriting
        "--rootdir", job.kit_root, "-c", os.path.join(job.kit_root, "pyproject.toml"),
        "--confcutdir", job.kit_root,
        "-W", "ignore::DeprecationWarning",
    ]
    if job.select:
        args += ["-k", job.select]
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 1)  # pytest's own terminal output is not the report
    code = pytest.main(args, plugins=[plugin])
    plugin.send(Kind.FINISHED, pytest_exit=int(code))
    shutil.rmtree(workdir, ignore_errors=True)
    return 0


def _fork_exercise(job: JobSpec, out_fd: int, key: bytearray, shared: _Shared,
                   group: sandbox.MemoryGroup | None) -> int:
    """Fork the exercise process (a process group, and where permitted a PID namespace, of
    its own); the child never returns."""
    sys.stdout.flush()
    sys.stderr.flush()
    worker = os.getpid()
    pid = os.fork()
    if pid:
        return pid
    code = 70
    try:
        sandbox.die_with_parent(worker)
        os.setpgid(0, 0)
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        reaper = sandbox.enter_pid_namespace() if job.sandbox != "off" else None
        if reaper is None:
            sandbox.become_subreaper()
        code = _exercise_process(job, out_fd, key, reaper, shared, group)
    except BaseException as exc:  # the grader's own failure: say so, never hang
        try:
            channel.send(out_fd, key, {"job": job.id, "kind": Kind.CRASH.value, "error": f"{type(exc).__name__}: {exc}"})
        except Exception:
            pass
    finally:
        os._exit(code)


def run_job(job: JobSpec, out_fd: int, key: bytearray, shared: _Shared) -> None:
    start = time.monotonic()
    group = sandbox.MemoryGroup.create(f"grade-{os.getpid()}-{job.id}", job.exercise_memory_mb) \
        if job.exercise_memory_mb > 0 else None
    if group is not None:
        group.expect_admission()
    pid = _fork_exercise(job, out_fd, key, shared, group)
    if group is not None:  # while the exercise process starts: it waits for this before its first check
        group.admit(pid)
    _, timed_out = sandbox.wait_or_kill(pid, start + job.timeout, poll_s=0.01)
    sandbox.kill_group(pid)  # the exercise process' group holds its PID namespace's init
    sandbox.kill_descendants()
    peak = group.peak_mb() if group is not None else None
    if group is not None:
        group.close()
    channel.send(out_fd, key, {"job": job.id, "kind": Kind.END.value, "timed_out": timed_out,
                               "duration_s": round(time.monotonic() - start, 3), "memory_peak_mb": peak})


def main() -> None:
    key = _read_key(0)
    header = WorkerHeader.from_wire(json.loads(sys.stdin.readline()))
    sandbox.die_with_parent(header.runner_pid)  # in its own session: only this ties it to `grade`
    out_fd = header.fd
    tmp = header.tmp or tempfile.mkdtemp(prefix="grade-worker-")
    if header.sandbox == "off":
        confinement = sandbox.Confinement(tmp=tmp, reason="disabled (sandbox=off)")
    else:
        confinement = sandbox.confine_worker(list(header.protect), tmp)  # before any thread exists
    sandbox.set_dumpable(False)
    sandbox.become_subreaper()
    home = os.path.join(tmp, "home")
    os.makedirs(home, exist_ok=True)
    os.environ.update(TMPDIR=tmp, HOME=home, XDG_CACHE_HOME=os.path.join(home, ".cache"),
                      MPLCONFIGDIR=os.path.join(home, ".mpl"),
                      HYPOTHESIS_STORAGE_DIRECTORY=os.path.join(tmp, ".hypothesis"))
    tempfile.tempdir = tmp
    gc.disable()  # the imports make a million objects: swept once, after them, not again and again
    _import_frameworks(header.frameworks, header.warm_up)
    shared = _shared_state(header)
    gc.enable()  # each exercise and check process collects as usual
    channel.send(out_fd, key, {"kind": Kind.READY.value, "mode": confinement.mode, "reason": confinement.reason,
                               "readonly": confinement.readonly, "network": confinement.network,
                               "pid": os.getpid()})
    for line in sys.stdin:
        if line.strip():
            run_job(JobSpec.from_wire(json.loads(line)), out_fd, key, shared)
    channel.send(out_fd, key, {"kind": Kind.BYE.value})


def _shared_state(header: WorkerHeader) -> _Shared:
    """After the imports, before any job: what counts as library code, the snapshot of the
    frameworks' dictionaries every check compares against, and a frozen heap."""
    from grader.isolation import guard

    trusted = guard.trusted_roots(header.kit)
    guard.guard_library_modules()  # once here, not in every check process
    baseline = guard.Baseline.capture()
    baseline.rebase()  # builds the table of version tags the exercise processes inherit
    gc.collect()
    gc.freeze()  # the frameworks' millions of objects: never scanned again, and shared by every fork
    return _Shared(header=header, trusted=trusted, baseline=baseline)


if __name__ == "__main__":
    main()
