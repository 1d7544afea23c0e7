"""The grading worker: imports the frameworks once, then grades one job at a time.

Started by the runner as `python -m grader.worker` in a session of its own. Its stdin
carries a first line with the run's secret and the frameworks to import, then one JSON
job per line. For each job it forks an exercise process (a process group of its own,
in a private working folder) that runs pytest on the check module with the `isolation`
plugin; the exercise process forks once per check. Forking after `import torch` /
`import tensorflow` is what makes a batch fast: the ~5 s of imports are paid once per
worker, not once per student and exercise.

Outcomes go to the runner over the inherited channel fd, signed (see `grader.channel`).
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import sys
import tempfile
import time
from typing import Any

from grader import channel


def _import_frameworks(frameworks: list[str]) -> None:
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    os.environ.setdefault("KERAS_BACKEND", "tensorflow")
    import numpy  # noqa: F401

    if {"torch", "both", "keras"} & set(frameworks):
        import torch  # noqa: F401
    if {"keras", "both"} & set(frameworks):
        import tensorflow  # noqa: F401
        import keras  # noqa: F401
    import hypothesis  # noqa: F401
    import pytest  # noqa: F401
    from _pytest import runner  # noqa: F401

    if {"torch", "both", "keras"} & set(frameworks):
        import checks.compare  # noqa: F401  (captures comparison functions now, before any student code)
    import checks.feedback  # noqa: F401
    import checks.submission  # noqa: F401


def _exercise_process(job: dict[str, Any], out_fd: int, key: bytearray) -> int:
    """Runs in the forked exercise process: pytest over one check module."""
    import pytest

    from grader.plugin.isolation import Isolation, become_subreaper

    import checks.submission

    os.setpgid(0, 0)
    become_subreaper()
    checks.submission._forbidden_pid = os.getpid()
    os.environ["GRADE_SUBMISSION"] = job["submission"]
    workdir = tempfile.mkdtemp(prefix="grade-")
    os.chdir(workdir)  # files a submission writes with relative paths land here, not in the kit
    tempfile.tempdir = workdir  # and temporary files too, shown as <tmp> in reports
    plugin = Isolation(out_fd=out_fd, key=key, job=job["id"], stem=job["stem"],
                       check_timeout=float(job["check_timeout"]), memory_mb=int(job["memory_mb"]),
                       started=time.monotonic())
    args = [
        job["check_path"],
        "-p", "no:cacheprovider", "-p", "no:randomly", "-p", "no:xdist", "-p", "no:timeout",
        "-q", "-s", "--no-header", "-o", "addopts=", "-o", "testpaths=",
        "--rootdir", job["kit_root"], "-c", os.path.join(job["kit_root"], "pyproject.toml"),
        "--confcutdir", job["kit_root"],
        "-W", "ignore::DeprecationWarning",
    ]
    if job.get("select"):
        args += ["-k", job["select"]]
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 1)  # pytest's own terminal output is not the report
    code = pytest.main(args, plugins=[plugin])
    plugin.send("finished", pytest_exit=int(code))
    shutil.rmtree(workdir, ignore_errors=True)
    return 0


def run_job(job: dict[str, Any], out_fd: int, key: bytearray) -> None:
    from grader.plugin.isolation import kill_descendants

    sys.stdout.flush()
    sys.stderr.flush()
    start = time.monotonic()
    pid = os.fork()
    if pid == 0:
        code = 70
        try:
            code = _exercise_process(job, out_fd, key)
        except BaseException as exc:  # the grader's own failure: say so, never hang
            try:
                channel.send(out_fd, key, {"job": job["id"], "kind": "crash", "error": f"{type(exc).__name__}: {exc}"})
            except Exception:
                pass
        finally:
            os._exit(code)
    deadline = start + float(job["timeout"])
    timed_out = False
    status = None
    while True:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            break
        if time.monotonic() >= deadline:
            timed_out = True
            try:
                os.killpg(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            os.waitpid(pid, 0)
            break
        time.sleep(0.01)
    try:
        os.killpg(pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
    kill_descendants()
    channel.send(out_fd, key, {"job": job["id"], "kind": "end", "timed_out": timed_out,
                               "duration_s": round(time.monotonic() - start, 3)})


def main() -> None:
    from grader.plugin.isolation import become_subreaper

    header = json.loads(sys.stdin.readline())
    key = bytearray(bytes.fromhex(header["key"]))
    out_fd = int(header["fd"])
    become_subreaper()
    _import_frameworks(header.get("frameworks", []))
    channel.send(out_fd, key, {"kind": "ready"})
    for line in sys.stdin:
        if not line.strip():
            continue
        run_job(json.loads(line), out_fd, key)
    channel.send(out_fd, key, {"kind": "bye"})


if __name__ == "__main__":
    main()
