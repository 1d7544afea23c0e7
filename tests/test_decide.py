"""The check's verdict (`check.make_decider`), table-driven: it is pure — from what the sealed
wrapper saw, what pytest reported and what escaped the protocol, to one outcome. pytest's
report may only make a verdict worse; a skip counts only when the kit raised it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from grader.catalog import KIT_ROOT
from grader.isolation import guard as guard_mod
from grader.isolation.check import make_decider
from grader.plugin.outcome import make_outcome

PASSED, FAILED = make_outcome("passed"), make_outcome("failed")
SKIPPED = make_outcome("skipped")


def _raised(fn: Any) -> BaseException:
    try:
        fn()
    except BaseException as exc:  # noqa: BLE001 - the point is to keep whatever escaped
        return exc
    raise AssertionError("did not raise")


def _kit_skip() -> None:
    pytest.skip("no CUDA device")


@pytest.fixture
def submission(tmp_path: Path) -> Path:
    folder = tmp_path / "student"
    folder.mkdir()
    return folder


def _student_raises(folder: Path, statement: str) -> BaseException:
    """An exception raised from a function whose code lives in the submission's folder."""
    namespace: dict[str, Any] = {}
    code = compile(f"import pytest, sys\ndef f():\n    {statement}\n", str(folder / "ex01_demo.py"), "exec")
    exec(code, namespace)
    return _raised(namespace["f"])


# (how the test function ended, what pytest reported, what escaped, student started) -> status, message has
CASES = {
    "returned, nothing reported": (("returned", None), None, None, True, "passed", None),
    "returned, pytest reported a failure": (("returned", None), FAILED, None, True, "failed", None),
    "returned, pytest's report says passed": (("returned", None), PASSED, None, True, "passed", None),
    "returned, then a teardown raised": (("returned", None), None, ValueError("teardown"), True, "failed", None),
    "never called, set-up failed": (None, FAILED, None, False, "failed", None),
    "never called, skipped before student code": (None, SKIPPED, None, False, "skipped", None),
    "never called, skipped after student code": (None, SKIPPED, None, True, "error", "did not run"),
    "never called, nothing reported": (None, None, None, False, "error", "did not run"),
    "never called, sys.exit escaped": (None, None, SystemExit(3), True, "failed", "sys.exit(3)"),
    "raised the kit's skip": (("raised", "kit_skip"), None, None, True, "skipped", "CUDA"),
    "raised a skip from student code": (("raised", "student_skip"), None, None, True, "failed", "skipped after your code"),
    "raised sys.exit from student code": (("raised", "student_exit"), None, None, True, "failed", "sys.exit(0)"),
    "raised an error": (("raised", "error"), None, None, True, "failed", None),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_the_verdict(case: str, submission: Path) -> None:
    ended, reported, raised, started, status, says = CASES[case]
    guard = guard_mod.Guard(submission=str(submission), protected=[], trusted=guard_mod.trusted_roots(str(KIT_ROOT)),
                            ancestors=set(), baseline=None)
    guard.state["started"] = started
    seal = guard_mod.Seal(guard)
    if ended is not None:
        how, what = ended
        exc = {"kit_skip": lambda: _raised(_kit_skip),
               "student_skip": lambda: _student_raises(submission, "pytest.skip('hard input')"),
               "student_exit": lambda: _student_raises(submission, "sys.exit(0)"),
               "error": lambda: ValueError("wrong")}.get(what, lambda: None)()
        seal.ended.append((how, exc, started))
    outcome = make_decider(guard)(seal, reported, raised)
    assert outcome["status"] == status, outcome
    if says is not None:
        assert says in (outcome["message"] or {}).get("en", ""), outcome["message"]


def test_tampering_fails_the_check_whatever_pytest_says(submission: Path) -> None:
    guard = guard_mod.Guard(submission=str(submission), protected=[], trusted=(), ancestors=set(), baseline=None)
    guard.records.append("torch.allclose")
    seal = guard_mod.Seal(guard)
    seal.ended.append(("returned", None, True))
    outcome = make_decider(guard)(seal, PASSED, None)
    assert outcome["status"] == "failed" and "torch.allclose" in outcome["message"]["en"]
