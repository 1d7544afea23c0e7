"""Plugin concern (grading only): every check runs in a forked process of its own.

The process that collects the checks never runs student code; it forks once to probe the
import of the learner's file, then once per check. A check process closes the channel to
the grader, forgets the run's secret (it keeps only a sub-key for its own check), sends
its outcome on a pipe of its own and exits. What the learner's code prints is captured
from file descriptors 1 and 2 by the collecting process, not reported by the check.
A check process that exits, crashes, is killed for memory or CPU, or outlives its time
limit has not reported: the check fails with a message saying what happened.
"""

from __future__ import annotations

import ctypes
import os
import resource
import signal
import sys
import tempfile
import time
from typing import Any, Callable

import pytest
from _pytest.runner import runtestprotocol

from grader import channel
from grader.i18n import T
from grader.plugin.outcome import classify, final_outcome, make_outcome
from grader.plugin.scoring import check_name, points_of

OUTPUT_LIMIT = 20_000
_PR_SET_CHILD_SUBREAPER = 36


def become_subreaper() -> None:
    """Orphans of our children (a submission's daemon, say) are re-parented to us, so
    `kill_descendants` can find and end them."""
    try:
        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0)
    except (OSError, AttributeError):
        pass


def _children_of(pid: int) -> list[int]:
    kids: list[int] = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat", "rb") as f:
                    stat = f.read()
                ppid = int(stat[stat.rindex(b")") + 2:].split()[1])
            except (OSError, ValueError, IndexError):
                continue
            if ppid == pid:
                kids.append(int(entry))
    return kids


def kill_descendants(pid: int | None = None) -> None:
    """SIGKILL every live descendant of `pid` (default: this process) and reap them."""
    root = os.getpid() if pid is None else pid
    for _ in range(10):  # a fork bomb may spawn while we kill: sweep until none is left
        stack, found = [root], []
        while stack:
            for kid in _children_of(stack.pop()):
                found.append(kid)
                stack.append(kid)
        if not found:
            return
        for kid in found:
            try:
                os.kill(kid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        _reap()
        time.sleep(0.01)


def _reap() -> None:
    while True:
        try:
            pid, _ = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return


def _vm_size_bytes() -> int:
    try:
        with open("/proc/self/status") as f:
            for line in f:
                if line.startswith("VmSize:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def _limit_resources(memory_mb: int, cpu_s: float) -> None:
    """Address space: what the frameworks already reserved plus the budget; CPU seconds."""
    if memory_mb > 0:
        limit = _vm_size_bytes() + memory_mb * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    if cpu_s > 0:
        soft = int(cpu_s) + 1
        resource.setrlimit(resource.RLIMIT_CPU, (soft, soft + 1))


_SIGNAL_TEXT = {
    signal.SIGKILL: T(ja="強制終了されました（メモリの使いすぎか、時間切れ）", en="it was killed (too much memory, or out of time)"),
    signal.SIGSEGV: T(ja="セグメンテーション違反でクラッシュしました", en="it crashed with a segmentation fault"),
    signal.SIGXCPU: T(ja="CPU 時間の上限を超えました", en="it exceeded its CPU-time limit"),
    signal.SIGABRT: T(ja="abort で異常終了しました", en="it aborted"),
}


def _no_report(status: int | None, timed_out: bool, limit: float) -> dict[str, Any]:
    if timed_out:
        return make_outcome(
            "failed",
            T(ja=f"{limit:g} 秒で時間切れになりました", en=f"timed out after {limit:g} s"),
            help=T(ja="無限ループや、想定より重い計算がないか確かめてください",
                   en="look for an endless loop, or far more work than the task needs"),
        )
    if status is not None and os.WIFSIGNALED(status):
        sig = os.WTERMSIG(status)
        why = _SIGNAL_TEXT.get(sig, T.same(f"signal {sig}"))
        return make_outcome("error", T(ja="チェック中にプロセスが終了しました: ", en="the process ended during the check: ") + why)
    code = os.WEXITSTATUS(status) if status is not None and os.WIFEXITED(status) else "?"
    return make_outcome(
        "error",
        T(ja=f"チェックが結果を返す前にプロセスが終了しました（終了コード {code}）",
          en=f"the process ended before the check could report (exit code {code})"),
        help=T(ja="sys.exit / os._exit / exit() を課題のコードから取り除いてください",
               en="remove sys.exit / os._exit / exit() from your exercise code"),
    )


class Isolation:
    """Registered by the worker as a pytest plugin object for one exercise."""

    def __init__(self, *, out_fd: int, key: bytearray, job: str, stem: str, check_timeout: float,
                 memory_mb: int, started: float) -> None:
        self.out_fd = out_fd
        self.key = key
        self.job = job
        self.stem = stem
        self.check_timeout = check_timeout
        self.memory_mb = memory_mb
        self.started = started
        self.import_failure: dict[str, Any] | None = None

    # -- channel to the grader ---------------------------------------------------------
    def send(self, kind: str, **payload: Any) -> None:
        channel.send(self.out_fd, self.key, {"job": self.job, "kind": kind, **payload})

    # -- collection ------------------------------------------------------------------
    @pytest.hookimpl(trylast=True)
    def pytest_collection_finish(self, session: pytest.Session) -> None:
        self.send("collected", checks=[
            {"name": check_name(item), "nodeid": item.nodeid, "points": points_of(item)} for item in session.items
        ])

    # -- running -----------------------------------------------------------------------
    @pytest.hookimpl(tryfirst=True)
    def pytest_runtestloop(self, session: pytest.Session) -> Any:
        if session.testsfailed and not session.items:
            return None
        from checks.submission import import_submission

        def probe() -> dict[str, Any]:
            try:
                import_submission(self.stem)
            except AssertionError as exc:  # SubmissionMissing / SubmissionImportError
                out = classify(exc)
                out["missing"] = type(exc).__name__ == "SubmissionMissing"
                return out
            return make_outcome("passed")

        outcome, output = self._fork(probe, "import", self.check_timeout)
        if outcome["status"] != "passed":
            self.send("import", outcome=outcome, output=output)
            for item in session.items:
                self.send("check", name=check_name(item), outcome={**outcome, "status": "failed"}, output="", duration_s=0.0)
            return True
        return None

    @pytest.hookimpl(tryfirst=True)
    def pytest_runtest_protocol(self, item: pytest.Item, nextitem: pytest.Item | None) -> bool:
        marker = item.get_closest_marker("timeout")
        limit = float(marker.args[0]) if marker and marker.args else self.check_timeout

        def run() -> dict[str, Any]:
            runtestprotocol(item, log=False, nextitem=None)
            return final_outcome(item)

        start = time.monotonic()
        outcome, output = self._fork(run, item.nodeid, limit)
        self.send("check", name=check_name(item), outcome=outcome, output=output,
                  duration_s=round(time.monotonic() - start, 3))
        return True

    # -- the fork --------------------------------------------------------------------
    def _fork(self, fn: Callable[[], dict[str, Any]], label: str, limit: float) -> tuple[dict[str, Any], str]:
        nonce = os.urandom(16).hex()
        sub_key = channel.derive_key(bytes(self.key), f"{label}:{nonce}")
        read_end, write_end = os.pipe()
        captured = tempfile.TemporaryFile()
        sys.stdout.flush()
        sys.stderr.flush()
        pid = os.fork()
        if pid == 0:  # the check process: student code runs only here
            try:
                os.setpgid(0, 0)
                os.close(read_end)
                os.close(self.out_fd)
                for i in range(len(self.key)):  # forget the run's secret; keep only our sub-key
                    self.key[i] = 0
                devnull = os.open(os.devnull, os.O_RDONLY)
                os.dup2(devnull, 0)
                os.dup2(captured.fileno(), 1)
                os.dup2(captured.fileno(), 2)
                _limit_resources(self.memory_mb, limit)
                try:
                    outcome = fn()
                except BaseException as exc:  # SystemExit/KeyboardInterrupt raised by student code
                    outcome = classify(exc)
                    if isinstance(exc, SystemExit):
                        outcome["status"] = "failed"
                        outcome["message"] = T(
                            ja=f"あなたのコードが sys.exit({exc.code!r}) を呼びました",
                            en=f"your code called sys.exit({exc.code!r})",
                        ).to_dict()
                try:
                    sys.stdout.flush()
                    sys.stderr.flush()
                except Exception:
                    pass
                channel.send(write_end, sub_key, {"label": label, "outcome": outcome})
            finally:
                os._exit(0)
        # the collecting process
        os.close(write_end)
        deadline = time.monotonic() + limit
        receiver = channel.Receiver(read_end, sub_key)
        outcome = None
        for frame in receiver.frames(deadline):
            if frame.get("label") == label and isinstance(frame.get("outcome"), dict):
                outcome = frame["outcome"]
                break
        status, timed_out = self._wait(pid, deadline)
        try:
            os.killpg(pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
        kill_descendants()
        os.close(read_end)
        captured.seek(0)
        output = captured.read(OUTPUT_LIMIT + 1).decode("utf-8", "replace")
        captured.close()
        if len(output) > OUTPUT_LIMIT:
            output = output[:OUTPUT_LIMIT] + "\n… (output truncated)"
        if outcome is None:
            outcome = _no_report(status, timed_out or time.monotonic() >= deadline, limit)
        return _without_tmp_root(_sanitize(outcome)), _without_tmp_root(output)

    @staticmethod
    def _wait(pid: int, deadline: float) -> tuple[int | None, bool]:
        while True:
            try:
                done, status = os.waitpid(pid, os.WNOHANG)
            except ChildProcessError:
                return None, False
            if done:
                return status, False
            if time.monotonic() >= deadline:
                try:
                    os.killpg(pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
                try:
                    os.kill(pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
                _, status = os.waitpid(pid, 0)
                return status, True
            time.sleep(0.005)


_STATUSES = {"passed", "failed", "error", "skipped"}


def _without_tmp_root(value: Any) -> Any:
    """The job's private temporary folder differs per run: show it as `<tmp>` so the same
    submission gets the same report."""
    root = tempfile.gettempdir()
    if isinstance(value, str):
        return value.replace(root, "<tmp>")
    if isinstance(value, dict):
        return {k: _without_tmp_root(v) for k, v in value.items()}
    return value


def _sanitize(outcome: dict[str, Any]) -> dict[str, Any]:
    """Keep only the fields reporters read, with the types they expect."""
    clean = make_outcome("error", T(ja="不正な結果", en="malformed outcome"))
    status = outcome.get("status")
    if status in _STATUSES:
        clean["status"] = status
        for key in ("message", "help"):
            value = outcome.get(key)
            if isinstance(value, dict) and isinstance(value.get("ja"), str) and isinstance(value.get("en"), str):
                clean[key] = {"ja": value["ja"], "en": value["en"]}
            elif status == "passed":
                clean[key] = None
        for key in ("expected", "actual", "counterexample", "traceback"):
            value = outcome.get(key)
            clean[key] = value if isinstance(value, str) else (None if key != "traceback" else "")
        clean["missing_framework"] = bool(outcome.get("missing_framework"))
        clean["missing"] = bool(outcome.get("missing"))
    return clean
