"""The exercise process: pytest over one check module, each check forked into a process of its own.

Forked by the worker for one job (`JobSpec`). It collects the checks, reports them to the
host, and never runs student code itself: it forks once to probe the submission's import,
then once per check (`grader.isolation.check`), up to `check_jobs` at a time. Where the
kernel allows it, those forks live in a PID namespace of the exercise's own (see
`grader.isolation.sandbox.Reaper`). Each check's outcome is decoded here
(`CheckOutcome.from_wire`) and sent on to the host with what the check printed.

    plugin = Isolation(job, context)        # in the worker's fork, then:
    pytest.main([job.check_path, ...], plugins=[plugin])
"""

from __future__ import annotations

import os
import re
import select
import sys
import tempfile
import time
from dataclasses import dataclass
from typing import Any, Callable

import pytest
from _pytest.runner import runtestprotocol

from grader.isolation import channel, check, sandbox
from grader.isolation import guard as guard_mod
from grader.i18n import T
from grader.isolation.protocol import CheckOutcome, JobSpec, Kind, Status
from grader.plugin.outcome import OUTCOME, classify
from grader.plugin.scoring import check_name, points_of

OUTPUT_LIMIT = 20_000  # characters of a check's output kept for its report
WATCH_EVERY_S = 0.2  # how often the processes of the checks in flight are counted
_ADDRESS = re.compile(r" at 0x[0-9a-fA-F]+>")  # in an object's default repr
HANG_GRACE_S = 10.0  # once a check is cut for time, how much longer the exercise's other checks get
IMPORT_BUDGET_S = 10.0  # importing the submission (its module-level code; the frameworks are loaded already)

Runner = Callable[[guard_mod.Seal, guard_mod.Guard, Callable[..., dict[str, Any]]], dict[str, Any]]


@dataclass
class Context:
    """What the worker hands every exercise process it forks."""

    out_fd: int  # the signed channel to the host
    key: bytearray  # the run's secret (zeroed in every check process)
    confinement: check.Confinement
    reaper: sandbox.Reaper | None
    workdir: str
    memory_group: sandbox.MemoryGroup | None = None  # the kernel's budget for the whole exercise


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


@dataclass
class _InFlight:
    """A check process that has been started and not yet settled."""

    item: Any
    label: str
    pid: int
    read_end: int
    receiver: channel.Receiver
    captured: Any
    folder: str  # the check process's own working and temporary folder
    limit: float
    started: float
    deadline: float
    outcome: dict[str, Any] | None = None
    where: str = ""  # the submission's line when the check was about to run out of time
    limit_hits: int = 0  # the exercise's memory group's count when the check started

    @property
    def ended(self) -> bool:
        return self.outcome is not None or self.receiver.eof or time.monotonic() >= self.deadline

    def read(self) -> None:
        for frame in self.receiver.pump():
            if frame.get("label") != self.label:
                continue
            if isinstance(frame.get("where"), str):
                self.where = frame["where"][:200]
            if isinstance(frame.get("outcome"), dict):
                self.outcome = frame["outcome"]
                return


class Isolation:
    """The pytest plugin object of one exercise process."""

    def __init__(self, job: JobSpec, context: Context) -> None:
        self.job = job
        self.context = context
        self.forks = 0
        # Fail fast: once a check is cut for time, the rest of the exercise gets HANG_GRACE_S
        # more (a submission that hangs in every call is reported in seconds, not minutes)
        self.cutoff: float | None = None
        self.first_hang: tuple[str, str] | None = None  # (check, where its code was)

    def send(self, kind: Kind, **payload: Any) -> None:
        channel.send(self.context.out_fd, self.context.key, {"job": self.job.id, "kind": kind.value, **payload})

    def _report(self, item: pytest.Item, outcome: CheckOutcome, output: str, duration_s: float) -> None:
        self.send(Kind.CHECK, name=check_name(item), outcome=outcome.to_wire(), output=output,
                  duration_s=round(duration_s, 3))

    # -- collection ------------------------------------------------------------------
    @pytest.hookimpl(trylast=True)
    def pytest_collection_finish(self, session: pytest.Session) -> None:
        c = self.context.confinement
        # once here rather than in every check process (which inherit it): the check module's
        # source, read while collecting, leaves linecache
        guard_mod.hide_cached_sources(c.hidden, c.submission)
        self.send(Kind.COLLECTED, checks=[
            {"name": check_name(item), "nodeid": item.nodeid, "points": points_of(item)} for item in session.items
        ])
        _hide_check_modules(session)
        if c.baseline is not None:
            c.baseline.extend()  # the check module and what it imported, before any student code

    # -- running -----------------------------------------------------------------------
    @pytest.hookimpl(tryfirst=True)
    def pytest_runtestloop(self, session: pytest.Session) -> Any:
        if session.testsfailed and not session.items:
            return None
        if self.context.confinement.baseline is not None:
            self.context.confinement.baseline.rebase()  # the reference state every check compares against
        guard_mod.guard_library_modules()  # what collection imported: once here, not in every check
        import gc

        gc.freeze()  # what collection built is shared by the check processes, never rescanned
        concurrent = self.job.check_jobs > 1 and len(session.items) > 1
        # side by side, the first check starts with the probe (it is stopped if the file does not load)
        alongside = [self._start_check(session.items[0])] if concurrent else []
        outcome, output = self._import_probe(alongside)
        if outcome.status.value != "passed":
            for flight in alongside:
                self._stop(flight)
            self._sweep()
            self.send(Kind.IMPORT, outcome=outcome.to_wire(), output=output)
            failed = CheckOutcome.from_wire({**outcome.to_wire(), "status": "failed"})
            devices = sys.modules.get("checks.devices")  # loaded if the checks run on every device
            for item in session.items:
                absent = devices.absent_device(item) if devices is not None else None
                self._report(item, CheckOutcome(Status.SKIPPED, absent) if absent is not None else failed, "", 0.0)
            return True
        if concurrent:
            started = {id(flight.item) for flight in alongside}
            self._run_concurrently([item for item in session.items if id(item) not in started], alongside)
            return True
        return None

    def _import_probe(self, alongside: list[_InFlight]) -> tuple[CheckOutcome, str]:
        """Does the submission load at all? Probed in a check process of its own, while the
        checks in `alongside` run; if they hold too many processes between them, nobody can
        tell whose: those are stopped (and `alongside` emptied) and the probe runs again, alone."""
        flight = self._start(self._probe, "import", min(self.job.check_timeout, IMPORT_BUDGET_S))
        done = self._wait_some([flight])
        if done is None and alongside:
            for other in [flight, *alongside]:
                self._stop(other)
            self._sweep()
            alongside.clear()
            return self._import_probe(alongside)
        outcome, output, _ = self._settle(flight, quiet=not alongside, too_many=done is None)
        return outcome, output

    def _start_check(self, item: pytest.Item) -> _InFlight:
        self._rebase()
        return self._start(_check_runner(item), item.nodeid, self._limit_of(item), item)

    @pytest.hookimpl(tryfirst=True)
    def pytest_runtest_protocol(self, item: pytest.Item, nextitem: pytest.Item | None) -> bool:
        if self._past_cutoff():
            self._report(item, self._not_run(), "", 0.0)
            return True
        self._rebase()
        self._report(item, *self._fork(_check_runner(item), item.nodeid, self._limit_of(item), item))
        return True

    def _past_cutoff(self) -> bool:
        return self.cutoff is not None and time.monotonic() >= self.cutoff

    def _not_run(self) -> CheckOutcome:
        """A check not started because an earlier one hung: it fails, naming that one."""
        name, where = self.first_hang or ("?", "")
        at = f" — {where}" if where else ""
        return CheckOutcome(Status.FAILED, T(
            ja=f"実行しませんでした: チェック {name} が時間切れになりました{at}（同じ原因で止まる可能性が高いため、残りのチェックは打ち切りました）",
            en=f"not run: check {name} ran out of time{at} (the remaining checks were cut short, as they would likely hang the same way)"),
            help=T(ja="無限ループや、終わらない待ちがないか確かめてください",
                   en="look for an endless loop, or a wait that never ends"), timed_out=True)

    def _rebase(self) -> None:
        if self.context.confinement.baseline is not None:
            self.context.confinement.baseline.rebase(extend=False)  # pytest's per-test wrappers are set now

    def _limit_of(self, item: pytest.Item) -> float:
        marker = item.get_closest_marker("timeout")
        return float(marker.args[0]) if marker and marker.args else self.job.check_timeout

    def _probe(self, seal: guard_mod.Seal, guard: guard_mod.Guard, decide: Callable[..., dict[str, Any]]) -> dict[str, Any]:
        """Import the submission, in a check process of its own: does it load at all?"""
        from checks.submission import import_submission

        try:
            import_submission(self.job.stem)
        except AssertionError as exc:  # SubmissionMissing / SubmissionImportError
            out = classify(exc)
            out["missing"] = type(exc).__name__ == "SubmissionMissing"
            problems = guard.problems()
            return check.tamper_outcome(problems) if problems else out
        seal.ended.append(("returned", None, False))
        return decide(seal, None, None)

    # -- several checks at once ----------------------------------------------------------
    def _run_concurrently(self, items: list[pytest.Item], pending: list[_InFlight]) -> None:
        """Run up to `check_jobs` check processes at a time (one per core when a single
        exercise is graded). Each check is still a process of its own, forked from this
        unchanged process and seeded at its start, in a folder of its own: its outcome is
        the one it gets alone. If the checks in flight together start too many processes,
        they are stopped and run again one at a time, so that only the culprit pays."""
        queue = list(items)
        while queue or pending:
            while queue and len(pending) < self.job.check_jobs:
                item = queue.pop(0)
                if self._past_cutoff():
                    self._report(item, self._not_run(), "", 0.0)
                    continue
                pending.append(self._start_check(item))
            done = self._wait_some(pending)
            if done is not None:
                for i, flight in enumerate(done):  # the last one settled sweeps, if none is left
                    self._report(flight.item, *self._settle(flight, quiet=not pending and i == len(done) - 1))
                continue
            # too many processes between them: nobody can tell whose; start those again, alone
            for flight in pending:
                self._stop(flight)
            self._sweep()
            for item in [flight.item for flight in pending] + queue:
                self.pytest_runtest_protocol(item, None)
            return

    def _wait_some(self, pending: list[_InFlight]) -> list[_InFlight] | None:
        """Block until at least one check in flight has ended (reported, exited or ran out of
        time); those leave `pending` and are returned. None when the checks in flight hold
        too many processes between them."""
        next_watch = time.monotonic() + WATCH_EVERY_S
        while True:
            done = [f for f in pending if f.ended]
            if done:
                for flight in done:
                    pending.remove(flight)
                return done
            now = time.monotonic()
            if now >= next_watch:
                next_watch = now + WATCH_EVERY_S
                if len(sandbox.descendants(sandbox.host_pid())) >= check.MAX_PROCESSES:
                    return None
            wake = min(min(f.deadline for f in pending), next_watch)
            fds = {f.read_end: f for f in pending}
            try:
                ready, _, _ = select.select(list(fds), [], [], max(0.0, wake - now))
            except InterruptedError:
                continue
            for fd in ready:
                fds[fd].read()

    def _settle(self, flight: _InFlight, quiet: bool, too_many: bool = False) -> tuple[CheckOutcome, str, float]:
        """Reap an ended check process: its outcome (or what its end means), its output and
        how long it took. `quiet`: nothing else is in flight, every leftover process goes."""
        status, cut = sandbox.wait_or_kill(flight.pid, time.monotonic() if too_many else flight.deadline)
        sandbox.kill_group(flight.pid)
        if quiet:
            self._sweep()
        os.close(flight.read_end)
        outcome = flight.outcome
        if outcome is None:
            timed_out = (cut or time.monotonic() >= flight.deadline) and not too_many
            outcome = check.no_report(status, timed_out, flight.limit, too_many, flight.where,
                                      out_of_memory=self._hits() > flight.limit_hits)
            if timed_out and self.cutoff is None:
                self.cutoff = time.monotonic() + HANG_GRACE_S
                self.first_hang = (check_name(flight.item) if flight.item is not None else flight.label, flight.where)
        scrub = self._scrubber(flight.folder)
        return (CheckOutcome.from_wire(outcome).map_text(scrub), scrub(_read_output(flight.captured)),
                time.monotonic() - flight.started)

    def _hits(self) -> int:
        group = self.context.memory_group
        return group.limit_hits() if group is not None else 0

    def _scrubber(self, folder: str) -> Callable[[str], str]:
        """What differs on every run becomes a placeholder — temp folders `<tmp>`, the private
        kit `<kit>`, object addresses `at 0x…` — so the same submission gets the same report,
        output included."""
        roots = [(r, "<tmp>") for r in (folder, self.context.workdir, os.environ.get("TMPDIR", ""),
                                         tempfile.gettempdir())] + [(self.job.kit_root, "<kit>")]
        forms = sorted({(f, mark) for r, mark in roots if r for f in (r.rstrip("/"), os.path.realpath(r))},
                       key=lambda p: len(p[0]), reverse=True)

        def scrub(text: str) -> str:
            for form, mark in forms:
                text = text.replace(form, mark)
            return _ADDRESS.sub(" at 0x…>", text)

        return scrub

    def _stop(self, flight: _InFlight) -> None:
        """End a check process whose outcome will not be used (it runs again, alone)."""
        sandbox.wait_or_kill(flight.pid, time.monotonic())
        os.close(flight.read_end)
        flight.captured.close()

    # -- the fork --------------------------------------------------------------------
    def _start(self, fn: Runner, label: str, limit: float, item: pytest.Item | None = None) -> _InFlight:
        """Fork the check process for `fn`, in a working folder of its own."""
        ctx = self.context
        if ctx.memory_group is not None:
            ctx.memory_group.admitted()  # every check process shares the exercise's memory budget
        if self.cutoff is not None:  # an earlier check hung: this one gets what is left of the grace
            limit = max(0.1, min(limit, self.cutoff - time.monotonic()))
        nonce = os.urandom(16).hex()
        sub_key = channel.derive_key(ctx.key, f"{label}:{nonce}")
        self.forks += 1
        folder = os.path.join(ctx.workdir, f"check-{self.forks:03d}")
        os.makedirs(folder, exist_ok=True)
        read_end, write_end = os.pipe()
        captured = tempfile.TemporaryFile()
        sys.stdout.flush()
        sys.stderr.flush()
        parent = os.getpid()
        pid = os.fork()
        if pid == 0:
            sandbox.die_with_parent(parent)  # before any student code (which may not undo it)
            os.close(read_end)
            forget = (ctx.out_fd, *((ctx.reaper.cmd, ctx.reaper.ack) if ctx.reaper else ()))
            check.run(fn, label, limit, confinement=ctx.confinement, write_end=write_end, sub_key=sub_key,
                      captured_fd=captured.fileno(), folder=folder, forget=forget, key=ctx.key)
        os.close(write_end)
        started = time.monotonic()
        return _InFlight(item=item, label=label, pid=pid, read_end=read_end,
                         receiver=channel.Receiver(read_end, sub_key), captured=captured, folder=folder,
                         limit=limit, started=started, deadline=started + limit, limit_hits=self._hits())

    def _fork(self, fn: Runner, label: str, limit: float,
              item: pytest.Item | None = None) -> tuple[CheckOutcome, str, float]:
        """Run `fn` in a check process of its own and wait for it to settle."""
        flight = self._start(fn, label, limit, item)
        done = self._wait_some([flight])
        return self._settle(flight, quiet=True, too_many=done is None)

    def _sweep(self) -> None:
        """Kill every process below this one (only when no check is in flight)."""
        if self.context.reaper is not None:
            self.context.reaper.sweep()  # every process of the namespace but its init
        else:
            sandbox.kill_descendants(sandbox.host_pid())


def _check_runner(item: pytest.Item) -> Runner:
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
        reported = item.stash.get(OUTCOME, None)
        return decide(seal, reported if isinstance(reported, dict) else None, raised)

    return run


def _read_output(captured: Any) -> str:
    captured.seek(0)
    output = captured.read(OUTPUT_LIMIT + 1).decode("utf-8", "replace")
    captured.close()
    if len(output) > OUTPUT_LIMIT:
        output = output[:OUTPUT_LIMIT] + "\n… (output truncated)"
    return output

