"""The check process: where student code runs, one check per process, and how it ends.

Forked by the exercise process (`grader.isolation.exercise`) once per check (and once to
probe the submission's import). Before any student code runs, `run` makes it:

- close the channel to the worker and forget the run's secret, keeping only a sub-key
  for its own check (derived with a fresh nonce);
- drop every capability and become undumpable (as its ancestors are): it can read
  neither their memory nor their file descriptors;
- limit its address space, CPU time and file sizes;
- install the guard (`grader.isolation.guard`): audit hook, module guards, sealed verdict.

What the learner's code prints goes to a file (fds 1 and 2) that the exercise process
reads into the check's `output`: never into the grader's own streams. The verdict is
`make_decider`'s, a closure built before student code runs. A check process that exits,
crashes, is killed for memory or CPU, spawns too many processes or outlives its time
limit has not reported: `no_report` says what happened instead.
"""

from __future__ import annotations

import os
import signal
import sys
import tempfile
import unittest
from dataclasses import dataclass
from typing import Any, Callable

import pytest

from grader.i18n import T
from grader.isolation import channel, sandbox
from grader.isolation import guard as guard_mod
from grader.isolation.protocol import DEFAULT_OUTPUT_LIMIT_MB
from grader.plugin.outcome import classify, make_outcome

MAX_PROCESSES = 64  # processes a check may run at once (DataLoader workers fit; a fork bomb does not)

_Skipped = pytest.skip.Exception

_SIGNAL_TEXT = {
    signal.SIGKILL: T(ja="強制終了されました（メモリの使いすぎか、時間切れ）", en="it was killed (too much memory, or out of time)"),
    signal.SIGSEGV: T(ja="セグメンテーション違反でクラッシュしました", en="it crashed with a segmentation fault"),
    signal.SIGXCPU: T(ja="CPU 時間の上限を超えました", en="it exceeded its CPU-time limit"),
    signal.SIGABRT: T(ja="abort で異常終了しました", en="it aborted"),
    signal.SIGBUS: T(ja="バスエラーでクラッシュしました", en="it crashed with a bus error"),
}

OUT_OF_MEMORY = T(ja="メモリを使いすぎたため停止しました（課題全体のメモリ上限に達しました）",
                  en="it used too much memory and was stopped (the exercise's memory budget was reached)")
TOO_MANY = T(
    ja=f"同時に {MAX_PROCESSES} 個を超えるプロセスを起動したため停止しました（fork の繰り返し）",
    en=f"it was stopped for running more than {MAX_PROCESSES} processes at once (a fork loop)",
)


def no_report(status: int | None, timed_out: bool, limit: float, too_many: bool, where: str = "",
              out_of_memory: bool = False) -> dict[str, Any]:
    """The outcome of a check process that ended without reporting one; `where`: the
    submission's innermost line when a check that ran out of time was stopped;
    `out_of_memory`: the exercise's memory budget was hit while it ran."""
    if out_of_memory and status is not None and os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGKILL:
        return make_outcome("failed", OUT_OF_MEMORY, help=T(
            ja="大きすぎる配列・テンソルや、増え続けるリストがないか確かめてください",
            en="look for arrays or tensors far larger than the task needs, or a list that keeps growing"))
    if too_many:
        return make_outcome("failed", T(ja="チェック中に", en="during the check ") + TOO_MANY,
                            help=T(ja="os.fork / multiprocessing をループで呼んでいないか確かめてください",
                                   en="look for os.fork / multiprocessing called in a loop"))
    if timed_out:
        at = T(ja=f"（止めた時点であなたのコードは {where} を実行中）", en=f" (your code was running {where} when it was stopped)") \
            if where else T.same("")
        outcome = make_outcome(
            "failed",
            T(ja=f"{round(limit, 1):g} 秒で時間切れになりました", en=f"timed out after {round(limit, 1):g} s") + at,
            help=T(ja="無限ループや、想定より重い計算がないか確かめてください",
                   en="look for an endless loop, or far more work than the task needs"),
        )
        outcome["timed_out"] = True
        return outcome
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


def _make_from_student(submission: str, trusted: tuple[str, ...]) -> Callable[[BaseException], bool]:
    """Whether an exception was raised by the submission's code, or is of a class it defined
    (bound before student code runs, like the decider that uses it)."""

    def from_student(exc: BaseException, _modules=sys.modules, _getattr=getattr, _type=type,
                     _isinstance=isinstance, _str=str) -> bool:
        module = _modules.get(_getattr(_type(exc), "__module__", "") or "")
        path = _getattr(module, "__file__", None)
        if _isinstance(path, _str) and (path.startswith(submission) or not path.startswith(trusted)):
            return True
        tb = exc.__traceback__
        while tb is not None:
            name = tb.tb_frame.f_code.co_filename
            if name.startswith(submission) or not (name.startswith(trusted) or name.startswith("<frozen")):
                return True
            tb = tb.tb_next
        return False

    return from_student


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
    from_student = _make_from_student(guard.submission, guard.trusted)

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


@dataclass
class Confinement:
    """What a check process is given and held to (the same for every check of an exercise)."""

    submission: str
    protected: list[str]
    hidden: list[str]
    trusted: tuple[str, ...]
    ancestors: set[int]
    baseline: guard_mod.Baseline | None
    memory_mb: int
    output_limit_mb: int = DEFAULT_OUTPUT_LIMIT_MB


def run(fn: Callable[..., dict[str, Any]], label: str, limit: float, *, confinement: Confinement,
        write_end: int, sub_key: bytes, captured_fd: int, folder: str, forget: tuple[int, ...],
        key: bytearray) -> None:
    """The body of a check process: student code runs only here. Never returns.

    `forget`: the exercise process's file descriptors to close (its channel to the worker,
    the reaper's pipes); `key`: the run's secret, zeroed in place before anything runs."""
    send = channel.send  # bound now, before any student code
    exit_now = os._exit
    try:
        os.setpgid(0, 0)
        for fd in forget:
            try:
                os.close(fd)
            except OSError:
                pass
        for i in range(len(key)):  # forget the run's secret; keep only our sub-key
            key[i] = 0
        _redirect_output(captured_fd)
        signal.signal(signal.SIGINT, signal.default_int_handler)
        # files written with relative paths, and temporary files, stay this check's own
        os.chdir(folder)
        tempfile.tempdir = folder
        os.environ["TMPDIR"] = folder
        sandbox.drop_privileges()
        c = confinement
        sandbox.limit_resources(c.memory_mb, limit, c.output_limit_mb)
        guard = guard_mod.Guard(submission=c.submission, protected=c.protected, trusted=c.trusted,
                                ancestors=c.ancestors, baseline=c.baseline, hidden=c.hidden)
        seal = guard_mod.Seal(guard)
        decide = make_decider(guard)
        _watch_for_a_hang(label, limit, c.submission, write_end, sub_key)
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


def _redirect_output(captured_fd: int) -> None:
    """stdin from /dev/null; stdout and stderr into the check's capture file."""
    devnull = os.open(os.devnull, os.O_RDONLY)
    os.dup2(devnull, 0)
    os.close(devnull)
    os.dup2(captured_fd, 1)
    os.dup2(captured_fd, 2)
    os.close(captured_fd)


WHERE_MARGIN_S = 0.5  # how long before its deadline a check process says where its code is


def _watch_for_a_hang(label: str, limit: float, submission: str, write_end: int, sub_key: bytes) -> None:
    """Shortly before the check's deadline, a thread reports the submission's innermost line
    (file:line and function) on the main thread's stack: a check cut for time then says
    where the code was, not only that it was slow. Started before any student code."""
    import threading

    main = threading.main_thread().ident
    send, current_frames = channel.send, sys._current_frames

    def report() -> None:
        frame = current_frames().get(main)
        where = ""
        while frame is not None:
            code = frame.f_code
            if code.co_filename.startswith(submission):
                where = f"{os.path.basename(code.co_filename)}:{frame.f_lineno} ({code.co_name})"
                break
            frame = frame.f_back
        if where:
            send(write_end, sub_key, {"label": label, "where": where})

    timer = threading.Timer(max(0.1, limit - WHERE_MARGIN_S), report)
    timer.daemon = True
    timer.start()
