"""Plugin concern (grading only): every check runs in a forked process of its own.

The process that collects the checks (the exercise process) never runs student code; it
forks once to probe the import of the learner's file, then once per check. Where the
kernel allows it, those forks live in a PID namespace of the exercise's own (see
`grader.sandbox.Reaper`). A check process, before any student code runs:

- closes the channel to the grader and forgets the run's secret (it keeps only a sub-key
  for its own check, derived with a fresh nonce);
- drops every capability and becomes undumpable (as its ancestors are), so it can read
  neither their memory nor their file descriptors;
- limits its address space, CPU time and file sizes;
- installs the guard (`grader.plugin.guard`): audit hook, module guards, sealed verdict.

What the learner's code prints goes to a file (fds 1 and 2), read by the exercise process
and shown in the check's `output`: never in the grader's own streams. A check process
that exits, crashes, is killed for memory or CPU, spawns too many processes or outlives
its time limit has not reported: the check fails with a message saying what happened.
"""

from __future__ import annotations

import os
import select
import signal
import sys
import tempfile
import time
import unittest
from dataclasses import dataclass
from typing import Any, Callable

import pytest
from _pytest.runner import runtestprotocol

from grader import channel, sandbox
from grader.i18n import T
from grader.plugin import guard as guard_mod
from grader.plugin.outcome import classify, make_outcome
from grader.plugin.scoring import check_name, points_of

OUTPUT_LIMIT = 20_000
FSIZE_MB = 512  # largest file (or flood of output) a check may write
MAX_PROCESSES = 64  # processes a check may run at once (DataLoader workers fit; a fork bomb does not)
WATCH_EVERY_S = 0.2

_Skipped = pytest.skip.Exception


def become_subreaper() -> None:  # kept for callers of the previous API
    sandbox.become_subreaper()


def kill_descendants(pid: int | None = None) -> None:  # kept for callers of the previous API
    sandbox.kill_descendants(pid)


_SIGNAL_TEXT = {
    signal.SIGKILL: T(ja="強制終了されました（メモリの使いすぎか、時間切れ）", en="it was killed (too much memory, or out of time)"),
    signal.SIGSEGV: T(ja="セグメンテーション違反でクラッシュしました", en="it crashed with a segmentation fault"),
    signal.SIGXCPU: T(ja="CPU 時間の上限を超えました", en="it exceeded its CPU-time limit"),
    signal.SIGABRT: T(ja="abort で異常終了しました", en="it aborted"),
    signal.SIGBUS: T(ja="バスエラーでクラッシュしました", en="it crashed with a bus error"),
}

TOO_MANY = T(
    ja=f"同時に {MAX_PROCESSES} 個を超えるプロセスを起動したため停止しました（fork の繰り返し）",
    en=f"it was stopped for running more than {MAX_PROCESSES} processes at once (a fork loop)",
)


def _no_report(status: int | None, timed_out: bool, limit: float, too_many: bool) -> dict[str, Any]:
    if too_many:
        return make_outcome("failed", T(ja="チェック中に", en="during the check ") + TOO_MANY,
                            help=T(ja="os.fork / multiprocessing をループで呼んでいないか確かめてください",
                                   en="look for os.fork / multiprocessing called in a loop"))
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


def _make_tamper_outcome(_make=make_outcome, _T=T, _join=", ".join, _len=len) -> Callable[[list[str]], dict[str, Any]]:
    help_text = _T(ja="採点中のモンキーパッチ、ファイルの書き換え、プロセスの起動は認められていません。課題の関数だけを実装してください",
                   en="monkeypatching, writing the kit's files or starting processes is not allowed while grading; "
                      "implement only what the task asks")

    def tamper_outcome(problems: list[str]) -> dict[str, Any]:
        shown = _join(problems[:5]) + (" …" if _len(problems) > 5 else "")
        return _make(
            "failed",
            _T(ja=f"採点中にあなたのコードが採点器・チェック・ライブラリを書き換えようとしました（{shown}）",
               en=f"while the check ran, your code tampered with the grader, the checks or a library ({shown})"),
            help=help_text,
        )

    return tamper_outcome


tamper_outcome = _make_tamper_outcome()

SKIP_FROM_STUDENT = T(
    ja="あなたのコードが実行された後にチェックがスキップされました（提出コードからの skip は認められず、失敗として扱います）",
    en="the check was skipped after your code ran (a skip raised from submitted code does not count: it is a failure)",
)
NEVER_RAN = T(ja="チェックが実行されませんでした", en="the check did not run")


def _exit_message(exc: SystemExit) -> dict[str, Any]:
    outcome = classify(exc)
    outcome["status"] = "failed"
    outcome["message"] = T(ja=f"あなたのコードが sys.exit({exc.code!r}) を呼びました",
                           en=f"your code called sys.exit({exc.code!r})").to_dict()
    return outcome


def make_decider(
    guard: guard_mod.Guard,
    *,
    _classify=classify, _make=make_outcome, _tamper=tamper_outcome, _exit=_exit_message,
    _skips=(_Skipped, unittest.SkipTest), _Skipped=_Skipped, _SystemExit=SystemExit, _isinstance=isinstance,
    _bool=bool, _str=str, _T=T, _skip_text=SKIP_FROM_STUDENT.to_dict(), _never=NEVER_RAN,
) -> Callable[..., dict[str, Any]]:
    """The check's verdict, as a closure built before any student code runs: every function
    it calls is bound now, so a submission that rebinds this module's names afterwards
    changes nothing (and is reported as tampering by `problems`)."""
    problems_of = guard.problems  # bound method: patching the class later does not reach it
    state = guard.state
    trusted = guard.trusted
    submission = guard.submission

    def from_student(exc: BaseException, _modules=sys.modules, _getattr=getattr, _type=type) -> bool:
        """Raised by the submission's code, or of an exception class it defined."""
        module = _modules.get(_getattr(_type(exc), "__module__", "") or "")
        path = _getattr(module, "__file__", None)
        if isinstance(path, str) and (path.startswith(submission) or not path.startswith(trusted)):
            return True
        tb = exc.__traceback__
        while tb is not None:
            name = tb.tb_frame.f_code.co_filename
            if name.startswith(submission) or not (name.startswith(trusted) or name.startswith("<frozen")):
                return True
            tb = tb.tb_next
        return False

    def decide(seal: guard_mod.Seal, reported: dict[str, Any] | None, raised: BaseException | None) -> dict[str, Any]:
        """From what the sealed wrapper saw; pytest's report may only make it worse."""
        problems = problems_of()
        if problems:
            return _tamper(problems)
        started = _bool(state["started"])
        fallback = _make("error", _never)
        reported = reported or fallback
        if not seal.ended:  # the test function never got called: setup failed, or was skipped
            if raised is not None:
                return _exit(raised) if _isinstance(raised, _SystemExit) else {**_classify(raised), "status": "failed"}
            if reported.get("status") == "skipped" and not started:
                return reported
            if reported.get("status") in ("failed", "error"):
                return reported
            return _make("error", _never)
        how, exc, _ = seal.ended[-1]
        if how == "returned":
            if raised is not None:
                return {**_classify(raised), "status": "failed"}
            return reported if reported.get("status") in ("failed", "error") and reported is not fallback else _make("passed")
        if _isinstance(exc, _skips):
            # a skip counts (and leaves the maximum) only if no frame that raised it is the
            # submission's: the kit's device and framework skips; never one from student code
            if not from_student(exc):
                return _classify(exc) if _isinstance(exc, _Skipped) else _make("skipped", _T.same(_str(exc) or "skipped"))
            outcome = _classify(exc)
            outcome.update(status="failed", message=_skip_text, missing_framework=False)
            return outcome
        if _isinstance(exc, _SystemExit):
            return _exit(exc)
        outcome = _classify(exc)
        if outcome.get("status") not in ("failed", "error"):
            outcome["status"] = "failed"
        return outcome

    return decide


def _hide_check_modules(session: pytest.Session) -> None:
    """The check module's helpers compute the expected answers: student code must not find
    them through `sys.modules` and call them. Its entry becomes a module holding only its
    classes (what pickle needs to find); the checks keep their own globals."""
    import types

    for module in {getattr(item, "module", None) for item in session.items}:
        if module is None:
            continue
        name = module.__name__
        proxy = types.ModuleType(name, module.__doc__)
        proxy.__file__ = getattr(module, "__file__", None)
        for key, value in vars(module).items():
            if isinstance(value, type) and getattr(value, "__module__", None) == name:
                setattr(proxy, key, value)
        sys.modules[name] = proxy
        package, _, leaf = name.rpartition(".")
        if package and package in sys.modules:
            setattr(sys.modules[package], leaf, proxy)


class Isolation:
    """Registered by the worker as a pytest plugin object for one exercise."""

    def __init__(self, *, out_fd: int, key: bytearray, job: str, stem: str, check_timeout: float,
                 memory_mb: int, started: float, submission: str = "", protected: list[str] | None = None,
                 trusted: tuple[str, ...] = (), ancestors: set[int] | None = None,
                 baseline: guard_mod.Baseline | None = None, reaper: sandbox.Reaper | None = None,
                 output_limit_mb: int = FSIZE_MB, hidden: list[str] | None = None, check_jobs: int = 1,
                 workdir: str = "") -> None:
        self.out_fd = out_fd
        self.key = key
        self.job = job
        self.stem = stem
        self.check_timeout = check_timeout
        self.memory_mb = memory_mb
        self.started = started
        self.submission = submission or os.environ.get("GRADE_SUBMISSION", "")
        self.protected = protected or []
        self.trusted = trusted
        self.ancestors = set(ancestors or ())
        self.baseline = baseline
        self.reaper = reaper
        self.output_limit_mb = output_limit_mb
        self.hidden = hidden or []
        self.host_pid = sandbox.host_pid()
        self.import_failure: dict[str, Any] | None = None
        self.check_jobs = max(1, int(check_jobs))
        self.workdir = workdir or os.getcwd()
        self.forks = 0

    # -- channel to the grader ---------------------------------------------------------
    def send(self, kind: str, **payload: Any) -> None:
        channel.send(self.out_fd, self.key, {"job": self.job, "kind": kind, **payload})

    # -- collection ------------------------------------------------------------------
    @pytest.hookimpl(trylast=True)
    def pytest_collection_finish(self, session: pytest.Session) -> None:
        # once here rather than in every check process (which inherit it): the check module's
        # source, read while collecting, leaves linecache
        guard_mod.Guard(submission=self.submission, protected=[], trusted=self.trusted, ancestors=set(),
                        baseline=None, hidden=self.hidden).hide_cached_sources()
        self.send("collected", checks=[
            {"name": check_name(item), "nodeid": item.nodeid, "points": points_of(item)} for item in session.items
        ])
        _hide_check_modules(session)
        if self.baseline is not None:
            self.baseline.extend()  # the check module and what it imported, before any student code

    # -- running -----------------------------------------------------------------------
    @pytest.hookimpl(tryfirst=True)
    def pytest_runtestloop(self, session: pytest.Session) -> Any:
        if session.testsfailed and not session.items:
            return None
        from checks.submission import import_submission

        if self.baseline is not None:
            self.baseline.rebase()  # the reference state every check process compares against
        import gc

        gc.freeze()  # what collection built is shared by the check processes, never rescanned

        def probe(seal: guard_mod.Seal, guard: guard_mod.Guard, decide: Callable[..., dict[str, Any]]) -> dict[str, Any]:
            try:
                import_submission(self.stem)
            except AssertionError as exc:  # SubmissionMissing / SubmissionImportError
                out = classify(exc)
                out["missing"] = type(exc).__name__ == "SubmissionMissing"
                problems = guard.problems()
                return tamper_outcome(problems) if problems else out
            seal.ended.append(("returned", None, False))
            return decide(seal, None, None)

        outcome, output = self._fork(probe, "import", self.check_timeout)
        if outcome["status"] != "passed":
            self.send("import", outcome=outcome, output=output)
            for item in session.items:
                self.send("check", name=check_name(item), outcome={**outcome, "status": "failed"}, output="", duration_s=0.0)
            return True
        if self.check_jobs > 1 and len(session.items) > 1:
            self._run_concurrently(session.items)
            return True
        return None

    @pytest.hookimpl(tryfirst=True)
    def pytest_runtest_protocol(self, item: pytest.Item, nextitem: pytest.Item | None) -> bool:
        limit = self._limit_of(item)
        if self.baseline is not None:
            self.baseline.rebase(extend=False)  # pytest's per-test wrappers (warnings) are set now
        start = time.monotonic()
        outcome, output = self._fork(self._check_runner(item), item.nodeid, limit)
        self.send("check", name=check_name(item), outcome=outcome, output=output,
                  duration_s=round(time.monotonic() - start, 3))
        return True

    def _limit_of(self, item: pytest.Item) -> float:
        marker = item.get_closest_marker("timeout")
        return float(marker.args[0]) if marker and marker.args else self.check_timeout

    @staticmethod
    def _check_runner(item: pytest.Item) -> Callable[..., dict[str, Any]]:
        """What the check process runs for `item`: pytest's protocol around the sealed test."""

        def run(seal: guard_mod.Seal, guard: guard_mod.Guard, decide: Callable[..., dict[str, Any]]) -> dict[str, Any]:
            test = getattr(item, "obj", None)
            if callable(test):
                seal.wrap_hypothesis_inner(test)
                item.obj = seal.wrap(test)  # type: ignore[attr-defined]
            raised: BaseException | None = None
            protocol = runtestprotocol
            try:
                protocol(item, log=False, nextitem=None)
            except BaseException as exc:  # pytest.exit / KeyboardInterrupt / SystemExit get through pytest
                raised = exc
            reported = item.__dict__.get("_grade_outcome")
            return decide(seal, reported if isinstance(reported, dict) else None, raised)

        return run

    # -- several checks at once ----------------------------------------------------------
    def _run_concurrently(self, items: list[pytest.Item]) -> None:
        """Run up to `check_jobs` check processes at a time (one per core when a single
        exercise is graded). Each check is still a process of its own, forked from this
        unchanged process and seeded at its start, in a folder of its own: its outcome is
        the one it gets alone. If the checks in flight together start too many processes,
        they are stopped and run again one at a time, so that only the culprit pays."""
        queue = list(items)
        pending: list[_InFlight] = []
        while queue or pending:
            while queue and len(pending) < self.check_jobs:
                item = queue.pop(0)
                if self.baseline is not None:
                    self.baseline.rebase(extend=False)
                pending.append(self._start(self._check_runner(item), item.nodeid, self._limit_of(item), item))
            if self._wait_some(pending):
                continue
            # too many processes between them: nobody can tell whose; start those again, alone
            for flight in pending:
                self._stop(flight)
            self._sweep()
            queue = [flight.item for flight in pending] + queue
            pending.clear()
            for item in queue:
                self.pytest_runtest_protocol(item, None)
            return

    def _wait_some(self, pending: list["_InFlight"]) -> bool:
        """Block until at least one check in flight has ended (reported it, exited or ran out
        of time) and report it. False when the checks in flight hold too many processes."""
        next_watch = time.monotonic() + WATCH_EVERY_S
        while True:
            now = time.monotonic()
            done = [f for f in pending if f.outcome is not None or f.receiver.eof or now >= f.deadline]
            if done:
                for flight in done:
                    pending.remove(flight)
                    self._settle(flight, quiet=not pending)
                return True
            if now >= next_watch:
                next_watch = now + WATCH_EVERY_S
                if len(sandbox.descendants(self.host_pid)) >= MAX_PROCESSES:
                    return False
            wake = min(min(f.deadline for f in pending), next_watch)
            fds = {f.read_end: f for f in pending}
            try:
                ready, _, _ = select.select(list(fds), [], [], max(0.0, wake - now))
            except InterruptedError:
                continue
            for fd in ready:
                flight = fds[fd]
                for frame in flight.receiver.pump():
                    if frame.get("label") == flight.label and isinstance(frame.get("outcome"), dict):
                        flight.outcome = frame["outcome"]
                        break

    def _settle(self, flight: "_InFlight", quiet: bool) -> None:
        status, timed_out = self._wait(flight.pid, flight.deadline)
        try:
            os.killpg(flight.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
        if quiet:
            self._sweep()  # nothing else in flight: every leftover process goes
        os.close(flight.read_end)
        output = self._read_output(flight.captured)
        outcome = flight.outcome
        if outcome is None:
            outcome = _no_report(status, timed_out or time.monotonic() >= flight.deadline, flight.limit, False)
        self.send("check", name=check_name(flight.item), outcome=_sanitize(outcome), output=output,
                  duration_s=round(time.monotonic() - flight.started, 3))

    def _stop(self, flight: "_InFlight") -> None:
        for kill in (lambda: os.killpg(flight.pid, signal.SIGKILL), lambda: os.kill(flight.pid, signal.SIGKILL)):
            try:
                kill()
            except (ProcessLookupError, PermissionError):
                pass
        try:
            os.waitpid(flight.pid, 0)
        except ChildProcessError:
            pass
        os.close(flight.read_end)
        flight.captured.close()

    # -- the fork --------------------------------------------------------------------
    def _child(self, fn: Callable[..., dict[str, Any]], label: str, limit: float, write_end: int,
               sub_key: bytes, captured_fd: int, folder: str) -> None:
        """The check process: student code runs only here. Never returns."""
        send = channel.send  # bound now, before any student code
        exit_now = os._exit
        try:
            os.setpgid(0, 0)
            for fd in (self.out_fd, *((self.reaper.cmd, self.reaper.ack) if self.reaper else ())):
                try:
                    os.close(fd)
                except OSError:
                    pass
            for i in range(len(self.key)):  # forget the run's secret; keep only our sub-key
                self.key[i] = 0
            devnull = os.open(os.devnull, os.O_RDONLY)
            os.dup2(devnull, 0)
            os.close(devnull)
            os.dup2(captured_fd, 1)
            os.dup2(captured_fd, 2)
            os.close(captured_fd)
            signal.signal(signal.SIGINT, signal.default_int_handler)
            # files written with relative paths, and temporary files, stay this check's own
            os.chdir(folder)
            tempfile.tempdir = folder
            os.environ["TMPDIR"] = folder
            sandbox.drop_privileges()
            sandbox.limit_resources(self.memory_mb, limit, self.output_limit_mb)
            guard = guard_mod.Guard(submission=self.submission, protected=self.protected, trusted=self.trusted,
                                    ancestors=self.ancestors, baseline=self.baseline, hidden=self.hidden)
            seal = guard_mod.Seal(guard)
            decide = make_decider(guard)
            guard.install()
            try:
                outcome = fn(seal, guard, decide)
            except BaseException as exc:  # raised around the protocol (student code at import, ...)
                outcome = decide(seal, None, exc)
            try:
                sys.stdout.flush()
                sys.stderr.flush()
            except BaseException:
                pass
            send(write_end, sub_key, {"label": label, "outcome": outcome})
        except BaseException:
            try:  # the grader's own failure, shown in the check's output
                import traceback

                traceback.print_exc()
                sys.stderr.flush()
            except BaseException:
                pass
        finally:
            exit_now(0)

    def _start(self, fn: Callable[..., dict[str, Any]], label: str, limit: float,
               item: pytest.Item | None = None) -> "_InFlight":
        """Fork the check process for `fn`, in a working folder of its own."""
        nonce = os.urandom(16).hex()
        sub_key = channel.derive_key(self.key, f"{label}:{nonce}")
        self.forks += 1
        folder = os.path.join(self.workdir, f"check-{self.forks:03d}")
        os.makedirs(folder, exist_ok=True)
        read_end, write_end = os.pipe()
        captured = tempfile.TemporaryFile()
        sys.stdout.flush()
        sys.stderr.flush()
        pid = os.fork()
        if pid == 0:
            os.close(read_end)
            self._child(fn, label, limit, write_end, sub_key, captured.fileno(), folder)
        os.close(write_end)
        started = time.monotonic()
        return _InFlight(item=item, label=label, pid=pid, read_end=read_end,
                         receiver=channel.Receiver(read_end, sub_key), captured=captured,
                         limit=limit, started=started, deadline=started + limit)

    def _fork(self, fn: Callable[..., dict[str, Any]], label: str, limit: float) -> tuple[dict[str, Any], str]:
        """Run `fn` in a check process and wait for it: its outcome and what it printed."""
        flight = self._start(fn, label, limit)
        pid, deadline, receiver = flight.pid, flight.deadline, flight.receiver
        outcome = None
        too_many = False
        next_watch = time.monotonic() + WATCH_EVERY_S
        while outcome is None and time.monotonic() < deadline:
            step = min(deadline, next_watch)
            for frame in receiver.frames(step):
                if frame.get("label") == label and isinstance(frame.get("outcome"), dict):
                    outcome = frame["outcome"]
                    break
            if outcome is not None or receiver.eof:
                break
            if time.monotonic() >= next_watch:
                next_watch = time.monotonic() + WATCH_EVERY_S
                if len(sandbox.descendants(self.host_pid)) >= MAX_PROCESSES:
                    too_many = True
                    break
        status, timed_out = self._wait(pid, deadline if not too_many else time.monotonic())
        self._clean_up(pid)
        os.close(flight.read_end)
        output = self._read_output(flight.captured)
        if outcome is None:
            outcome = _no_report(status, timed_out or time.monotonic() >= deadline, limit, too_many)
        return _sanitize(outcome), output

    @staticmethod
    def _read_output(captured: Any) -> str:
        captured.seek(0)
        output = captured.read(OUTPUT_LIMIT + 1).decode("utf-8", "replace")
        captured.close()
        if len(output) > OUTPUT_LIMIT:
            output = output[:OUTPUT_LIMIT] + "\n… (output truncated)"
        return output

    def _clean_up(self, pid: int) -> None:
        """No process of the check outlives it."""
        try:
            os.killpg(pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
        self._sweep()

    def _sweep(self) -> None:
        """Kill every process below this one (only when no check is in flight)."""
        if self.reaper is not None:
            self.reaper.sweep()  # every process of the namespace but its init
        else:
            sandbox.kill_descendants(self.host_pid)

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
                except (ProcessLookupError, PermissionError):
                    pass
                try:
                    os.kill(pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
                _, status = os.waitpid(pid, 0)
                return status, True
            time.sleep(0.002)


@dataclass
class _InFlight:
    """A check process that has been started and not yet reported."""

    item: Any
    label: str
    pid: int
    read_end: int
    receiver: channel.Receiver
    captured: Any
    limit: float
    started: float
    deadline: float
    outcome: dict[str, Any] | None = None


_STATUSES = {"passed", "failed", "error", "skipped"}


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
