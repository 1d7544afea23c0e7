"""The wire records: what one process encodes, the next decodes into the same record; what
student code could garble decodes into an honest error, never a pass."""

from __future__ import annotations

import os

import pytest

from grader.i18n import T
from grader.isolation import channel
from grader.isolation.protocol import CheckOutcome, JobSpec, Kind, Status, WorkerHeader

JOB = JobSpec(id="k1", stem="ex03_normalized_dataset", check_path="/kit/checks/test_ex03_normalized_dataset.py",
              submission="/sub", kit_root="/kit", check_timeout=60.0, timeout=300.0, select=None, check_jobs=2)
HEADER = WorkerHeader(fd=5, kit="/kit", tmp="/tmp/w", frameworks=["torch"], protect=["/kit"], hide=["/kit/checks"],
                      runner_pid=42, warm_up=True)
OUTCOME = CheckOutcome(Status.FAILED, T(ja="違います", en="wrong"), help=T(ja="ヒント", en="hint"),
                       expected="[1, 2]", actual="[1, 3]", counterexample="x=1", traceback="tb")


def _through_channel(wire: dict) -> dict:
    """Send a record over a real signed pipe: the channel's encoder takes plain types only."""
    key = os.urandom(32)
    r, w = os.pipe()
    channel.send(w, key, {"kind": Kind.CHECK.value, "record": wire})
    os.close(w)
    (frame,) = list(channel.Receiver(r, key).frames())
    os.close(r)
    return frame["record"]


@pytest.mark.parametrize("record", [JOB, HEADER, OUTCOME], ids=["job", "header", "outcome"])
def test_every_record_round_trips_over_the_channel(record) -> None:
    assert type(record).from_wire(_through_channel(record.to_wire())) == record


@pytest.mark.parametrize("field, value", [("check_timeout", "60"), ("check_jobs", True), ("submission", None),
                                          ("stem", ["ex03"])])
def test_a_job_field_of_the_wrong_type_is_refused(field: str, value) -> None:
    with pytest.raises(ValueError, match=field):
        JobSpec.from_wire({**JOB.to_wire(), field: value})


def test_an_int_is_taken_for_a_float_and_none_for_an_optional_field() -> None:
    job = JobSpec.from_wire({**JOB.to_wire(), "check_timeout": 60, "select": None})
    assert job.check_timeout == 60.0 and isinstance(job.check_timeout, float) and job.select is None


@pytest.mark.parametrize("garbled", [
    None, "passed", {"status": "won"}, {"status": "passed", "message": "plain text"},
    {"status": "passed", "message": {"ja": "only ja"}}, {"status": "failed", "expected": ["not", "text"]},
])
def test_a_garbled_outcome_is_an_error_never_a_pass(garbled) -> None:
    outcome = CheckOutcome.from_wire(garbled)
    assert outcome.status is Status.ERROR and outcome.message is not None
    assert outcome.message.render("en") == "malformed outcome"


def test_outcome_flags_decode_as_bools() -> None:
    wire = {**OUTCOME.to_wire(), "status": "skipped", "missing_framework": 1, "missing": "yes"}
    outcome = CheckOutcome.from_wire(wire)
    assert outcome.status is Status.SKIPPED and outcome.missing_framework is True and outcome.missing is True
    assert not CheckOutcome.from_wire({"status": "skipped"}).missing_framework
