"""What crosses between the grading processes: one record per message, one decode for both sides.

    host ──WorkerHeader, then one JobSpec a line (stdin)──▶ worker
    worker ──fork──▶ exercise process ──fork──▶ check process
    check process ──CheckOutcome (signed, sub-key)──▶ exercise process
    worker, exercise process ──frames (signed)──▶ host

On the wire every record is a dict of plain built-in types (`to_wire`): the channel's own
encoder refuses anything else, so no object of a submission's can travel. `from_wire`
is the only decoder, used on every receiving side; it checks each field's type, so a
frame forged or garbled by student code decodes into an honest "error" outcome, never
into a pass. The defaults that more than one process needs live here and only here.

    >>> spec = JobSpec(id="a1", stem="ex01_true_or_false", check_path="/k/checks/test_ex01.py",
    ...                submission="/s", kit_root="/k", check_timeout=60.0, timeout=300.0)
    >>> JobSpec.from_wire(spec.to_wire()) == spec
    True
    >>> CheckOutcome.from_wire({"status": "passed"}).status
    <Status.PASSED: 'passed'>
    >>> CheckOutcome.from_wire({"status": "won"}).status
    <Status.ERROR: 'error'>
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields, replace
from enum import Enum
from typing import Any, Callable

from grader.i18n import T

DEFAULT_TIMEOUT = 300.0  # seconds per exercise
DEFAULT_MEMORY_MB = 4096  # per check process, on top of what torch + TF reserve (docs/isolation.md)
DEFAULT_OUTPUT_LIMIT_MB = 512  # largest file (or flood of output) a check may write


class Status(str, Enum):
    """How a check ended: the only four values a report knows."""

    PASSED = "passed"
    FAILED = "failed"
    ERROR = "error"
    SKIPPED = "skipped"


class Kind(str, Enum):
    """What a frame on the channel to the host says."""

    READY = "ready"  # worker: confined and imported; WorkerInfo fields
    COLLECTED = "collected"  # exercise process: the checks and their points
    IMPORT = "import"  # exercise process: the submission could not be imported (outcome)
    CHECK = "check"  # exercise process: one check's outcome, output, duration
    FINISHED = "finished"  # exercise process: pytest returned
    CRASH = "crash"  # exercise process: the grader's own failure
    END = "end"  # worker: the exercise process is gone (timed out or not)
    BYE = "bye"  # worker: stdin closed, leaving


def _typed(cls: type, data: Any) -> dict[str, Any]:
    """The fields of `cls` found in `data`, each checked against its wire type (an int is
    taken for a float, a bool never for an int); ValueError names the first bad one."""
    if not isinstance(data, dict):
        raise ValueError(f"{cls.__name__}: not a dict")
    out: dict[str, Any] = {}
    for name, kind in _WIRE_TYPES[cls].items():
        if name not in data:
            continue
        value = data[name]
        if kind is float and type(value) is int:
            value = float(value)
        ok = isinstance(value, kind) and not (kind is int and isinstance(value, bool))
        if kind is list:
            ok = ok and all(isinstance(v, str) for v in value)
        if not (ok or (value is None and name in _OPTIONAL)):
            raise ValueError(f"{cls.__name__}.{name}: {type(value).__name__}")
        out[name] = value
    return out


@dataclass(frozen=True)
class JobSpec:
    """One exercise to grade: sent by the host to a worker, handed to the exercise process."""

    id: str
    stem: str
    check_path: str
    submission: str
    kit_root: str
    check_timeout: float
    timeout: float = DEFAULT_TIMEOUT
    memory_mb: int = DEFAULT_MEMORY_MB
    exercise_memory_mb: int = 0  # all of the exercise's processes together (a cgroup); 0: no such limit
    output_limit_mb: int = DEFAULT_OUTPUT_LIMIT_MB
    sandbox: str = "auto"  # "auto": namespaces where the kernel allows; "off": portable defences only
    select: str | None = None  # a pytest -k expression
    check_jobs: int = 1  # check processes side by side

    def to_wire(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_wire(cls, data: Any) -> "JobSpec":
        return cls(**_typed(cls, data))


@dataclass(frozen=True)
class WorkerHeader:
    """The worker's first line on stdin (after the secret): what it imports and protects."""

    fd: int  # the channel's write end, inherited
    kit: str  # the private copy of the kit
    tmp: str  # the worker's private temp folder
    frameworks: list[str] = field(default_factory=list)
    protect: list[str] = field(default_factory=list)  # no writes under these
    hide: list[str] = field(default_factory=list)  # no reads from student code under these
    runner_pid: int = 0
    sandbox: str = "auto"
    warm_up: bool = False  # warm torch's first-use work up once (worth it for several jobs)

    def to_wire(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_wire(cls, data: Any) -> "WorkerHeader":
        return cls(**_typed(cls, data))


MALFORMED = T(ja="不正な結果", en="malformed outcome")


@dataclass(frozen=True)
class CheckOutcome:
    """How one check ended, in both languages: built in the check process, checked again by
    the exercise process and the host, turned into a `CheckResult` by the host alone."""

    status: Status
    message: T | None = None
    help: T | None = None
    expected: str | None = None
    actual: str | None = None
    counterexample: str | T | None = None  # a T where the example itself has words in it
    traceback: str = ""
    missing_framework: bool = False  # a skip because a framework is not installed (--strict: error)
    missing: bool = False  # the submission's file is not there (import probe only)
    timed_out: bool = False  # cut at its time limit (the exercise's status becomes "timeout")
    cause: str = ""  # a known kind of cause reports put first: "signature" (the learner's parameters)

    def to_wire(self) -> dict[str, Any]:
        wire = {f.name: getattr(self, f.name) for f in fields(self)}
        wire["status"] = self.status.value
        wire["message"] = self.message.to_dict() if self.message else None
        wire["help"] = self.help.to_dict() if self.help else None
        if isinstance(self.counterexample, T):
            wire["counterexample"] = self.counterexample.to_dict()
        return wire

    def map_text(self, fn: Callable[[str], str]) -> "CheckOutcome":
        """The same outcome with `fn` applied to every text in it (both languages)."""
        texts = {k: T(ja=fn(v.ja), en=fn(v.en)) for k in ("message", "help", "counterexample")
                 if isinstance(v := getattr(self, k), T)}
        strings = {k: fn(v) for k in ("expected", "actual", "counterexample", "traceback")
                   if isinstance(v := getattr(self, k), str)}
        return replace(self, **texts, **strings)

    @classmethod
    def from_wire(cls, data: Any) -> "CheckOutcome":
        """Decode, or an "error" outcome saying it was malformed: never raises."""
        try:
            status = Status(data.get("status"))
            texts = {k: _text(data.get(k)) for k in ("message", "help")}
            strings = {k: data.get(k) for k in ("expected", "actual")}
            example = data.get("counterexample")
            if not all(v is None or isinstance(v, str) for v in (*strings.values(), example if not isinstance(example, dict) else None)):
                raise ValueError("a text field is not text")
            texts["counterexample"] = _text(example) if isinstance(example, dict) else example
            trace = data.get("traceback") or ""
            return cls(status, traceback=trace if isinstance(trace, str) else "", **texts, **strings,
                       missing_framework=bool(data.get("missing_framework")), missing=bool(data.get("missing")),
                       timed_out=bool(data.get("timed_out")), cause=_cause(data.get("cause")))
        except (AttributeError, TypeError, ValueError):
            return cls(Status.ERROR, MALFORMED)


CAUSES = frozenset({"", "signature"})


def _cause(value: Any) -> str:
    if value is None or value in CAUSES:
        return value or ""
    raise ValueError(f"unknown cause {value!r}")


def _text(value: Any) -> T | None:
    if value is None:
        return None
    if isinstance(value, dict) and isinstance(value.get("ja"), str) and isinstance(value.get("en"), str):
        return T(ja=value["ja"], en=value["en"])
    raise ValueError("not a {ja, en} text")


_WIRE_TYPES: dict[type, dict[str, type]] = {
    JobSpec: {"id": str, "stem": str, "check_path": str, "submission": str, "kit_root": str,
              "check_timeout": float, "timeout": float, "memory_mb": int, "exercise_memory_mb": int,
              "output_limit_mb": int,
              "sandbox": str, "select": str, "check_jobs": int},
    WorkerHeader: {"fd": int, "kit": str, "tmp": str, "frameworks": list, "protect": list, "hide": list,
                   "runner_pid": int, "sandbox": str, "warm_up": bool},
}
_OPTIONAL = frozenset({"select"})  # may be None on the wire
