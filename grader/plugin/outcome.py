"""Plugin concern: turn what happened in a check into a learner-facing outcome.

A check ends in one of: pass; a `CheckFailure` raised on purpose (message, expected,
actual, counter-example, idea to revisit); `NotImplementedError` from the stub ("not
implemented yet"); an exception raised by the learner's code (named, with its line);
an exception in the check itself because the learner's value was unusable; a skip.
The outcome is kept in `item.stash[OUTCOME]` and attached to the pytest report as
`report.grade_outcome` (a plain dict, JSON-ready: `CheckOutcome`'s wire form) and rendered in the learner's language only by the reporters.
"""

from __future__ import annotations

import os
import re
import sys
import textwrap
import traceback
from pathlib import Path
from typing import Any

import pytest

from grader.i18n import T
from grader.isolation.protocol import CheckOutcome, Status
from grader.plugin.causes import CALLED_LABEL, CAUSE_LABEL, explain

RAISED_HELP = {  # the generic idea for an exception of unknown cause, by what the report shows with it
    "counterexample": T(ja="反例の入力であなたのコードを呼び、例外の原因を確かめてください",
                        en="call your code with the counter-example above and find what raises"),
    "call": T(ja="上の呼び出しをあなたのコードで試し、例外の原因を確かめてください",
              en="try the call shown above with your code and find what raises"),
    "line": T(ja="上に示した行で何が起きているか確かめてください", en="look at what happens on the line shown above"),
}

NOT_IMPLEMENTED = T(
    ja="まだ実装されていません（NotImplementedError）",
    en="not implemented yet (NotImplementedError)",
)
NOT_IMPLEMENTED_HELP = T(
    ja="課題文を読み、`raise NotImplementedError` をあなたの実装に置き換えてください",
    en="read the task and replace `raise NotImplementedError` with your implementation",
)


def make_outcome(
    status: str,
    message: T | None = None,
    *,
    help: T | None = None,
    expected: str | None = None,
    actual: str | None = None,
    counterexample: str | T | None = None,
    traceback_text: str = "",
) -> dict[str, Any]:
    """An outcome as it crosses to the exercise process (`CheckOutcome`'s wire form)."""
    return CheckOutcome(Status(status), message, help=help, expected=expected, actual=actual,
                        counterexample=counterexample, traceback=traceback_text).to_wire()


def _hypothesis_counterexample(exc: BaseException) -> str | None:
    """The shrunk falsifying example hypothesis attached to the exception, as `name=value` lines."""
    from checks.feedback import readable

    for note in getattr(exc, "__notes__", []) or []:
        if note.startswith(("Falsifying example", "Failing test case", "Falsifying explicit example",
                            "Failing explicit example")):
            body = note.split("(", 1)[1] if "(" in note else note
            body = body.rsplit(")", 1)[0]
            lines = [ln for ln in textwrap.dedent(body).strip().splitlines() if ln.strip()]
            return readable("\n".join(_argument_ends(lines))) or None
    return None


def _readable(text: Any) -> Any:
    """A check's text (a str or a T) with numbers as a learner writes them (`checks.feedback.readable`)."""
    from checks.feedback import readable

    if isinstance(text, T):
        return T(ja=readable(text.ja), en=readable(text.en))
    return readable(text) if isinstance(text, str) else text


def _argument_ends(lines: list[str]) -> list[str]:
    """Lines without the comma that ends each top-level argument; the commas inside a value
    wrapped over several lines (a `Problem(...)`) stay."""
    ends = [i + 1 == len(lines) or not lines[i + 1][:1].isspace() for i in range(len(lines))]
    return [ln.rstrip(",") if end else ln for ln, end in zip(lines, ends)]


def _shown_example(exc: BaseException) -> str | T | None:
    """The example a check attached with `checks.feedback.showing` (a str or a T, nothing else)."""
    from checks.feedback import EXAMPLE_ATTRIBUTE

    example = exc.__dict__.get(EXAMPLE_ATTRIBUTE) if hasattr(exc, "__dict__") else None
    return example if isinstance(example, (str, T)) else None


def _student_frame(exc: BaseException) -> traceback.FrameSummary | None:
    """The innermost traceback frame that lies in the learner's file, if any."""
    folder = os.environ.get("GRADE_SUBMISSION")
    frames = traceback.extract_tb(exc.__traceback__)
    for frame in reversed(frames):
        p = Path(frame.filename)
        if re.match(r"ex\d+_\w+\.py$", p.name) and (folder is None or str(p.resolve()).startswith(str(Path(folder).resolve()))):
            if "/checks/" not in frame.filename.replace("\\", "/"):
                return frame
    return None


def _call_that_raised(exc: BaseException) -> str | None:
    """The check's line that called into the learner's code (when no counter-example shows
    the input): the last frame in a check module before the first frame of the learner's."""
    frames = traceback.extract_tb(exc.__traceback__)
    caller = None
    for frame in frames:
        path = frame.filename.replace("\\", "/")
        if "/checks/" in path:
            caller = frame
        elif re.match(r"ex\d+_\w+\.py$", Path(path).name):
            break
    else:
        return None
    code = (caller.line or "").strip() if caller is not None else ""
    return code or None


def classify(exc: BaseException) -> dict[str, Any]:
    """The outcome for a check that raised `exc` (see module docstring)."""
    from checks.feedback import CheckFailure

    tb = "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))
    counter = _shown_example(exc) or _hypothesis_counterexample(exc)
    if isinstance(exc, pytest.skip.Exception):
        reason = getattr(exc, "text", None) or T.same(str(exc.msg))
        outcome = make_outcome("skipped", reason)
        outcome["missing_framework"] = bool(getattr(exc, "missing_framework", False))
        return outcome
    if isinstance(exc, CheckFailure):
        return make_outcome(
            "failed", _readable(exc.rationale), help=exc.help, expected=_readable(exc.expected),
            actual=_readable(exc.actual), counterexample=_readable(exc.counterexample) or counter, traceback_text=tb,
        )
    if isinstance(exc, NotImplementedError):
        return make_outcome("failed", NOT_IMPLEMENTED, help=NOT_IMPLEMENTED_HELP, traceback_text=tb)
    frame = _student_frame(exc)
    what = f"{type(exc).__name__}: {_short(exc)}"
    mismatch = _signature_mismatch(exc) if frame is None else None
    if mismatch is not None:
        msg = T(ja=f"あなたのコードの {mismatch} の引数が課題文と違います — {what}",
                en=f"the parameters of your {mismatch} differ from the task's — {what}")
        help = T(ja="課題文のシグネチャ（引数の名前・数・既定値）に合わせてください。この課題は教科書の解答例に引数を加えていることがあります",
                 en="match the signature in the task statement (names, number and defaults of the parameters); "
                    "the exercise may add parameters to the textbook's answer")
        outcome = make_outcome("failed", msg, help=help, traceback_text=tb)  # no input shows it: the call did
        outcome["cause"] = "signature"
        return outcome
    found = explain(exc)
    call = None if counter else _call_that_raised(exc)
    if frame is not None:
        where = f"{Path(frame.filename).name}:{frame.lineno}"
        code = (frame.line or "").strip()
        msg = T(
            ja=f"あなたのコードで例外が発生しました — {what}\n    {where}: {code}",
            en=f"your code raised {what}\n    {where}: {code}",
        )
        help = RAISED_HELP["counterexample" if counter else "call" if call else "line"]
    elif isinstance(exc, AssertionError) and found is None:
        msg = T(ja=f"条件が満たされていません: {_short(exc)}", en=f"a required property does not hold: {_short(exc)}")
        help = None
    else:
        msg = T(
            ja=f"返された値をチェックが扱えませんでした — {what}",
            en=f"the check could not use what your code returned — {what}",
        )
        help = T(ja="戻り値の型と形が課題文のとおりか確かめてください",
                 en="check that the returned types and shapes are as the task says")
    if found is not None:  # the cause, when it is known, says more than the generic idea
        msg = msg + T(ja="\n", en="\n") + CAUSE_LABEL + found.cause
        help = found.idea
    if call is not None:
        msg = msg + T(ja="\n", en="\n") + CALLED_LABEL + T.same(call)
    return make_outcome("failed", msg, help=help, counterexample=counter, traceback_text=tb)


_CALL_ERROR = re.compile(r"^([\w.<>]+)\(\) (?:got an unexpected keyword argument|missing \d+ required|takes \d+ |"
                         r"takes from \d+ to \d+ |takes no arguments|got multiple values for argument|"
                         r"got some positional-only arguments)")


def _signature_mismatch(exc: BaseException) -> str | None:
    """The learner's callable (`NormalizedDataset.__init__`) whose parameters did not fit the
    call the check made: a TypeError raised by the call itself, before any of the learner's
    code ran (so no frame of theirs is in the traceback)."""
    if type(exc) is not TypeError:
        return None
    match = _CALL_ERROR.match(str(exc))
    if match is None:
        return None
    qualname = match.group(1)
    folder = os.environ.get("GRADE_SUBMISSION")
    for module in list(sys.modules.values()):
        path = getattr(module, "__file__", None) or ""
        if not (folder and path.startswith(folder) and re.match(r"ex\d+_\w+\.py$", Path(path).name)):
            continue
        target: object = module
        for part in qualname.split("."):
            target = getattr(target, part, None)
        code = getattr(target, "__code__", None)
        if code is not None and code.co_filename == path:
            return qualname
    return None


def _short(exc: BaseException, limit: int = 300) -> str:
    try:
        text = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
    except Exception:
        text = "<unprintable>"
    return text if len(text) <= limit else text[: limit - 1] + "…"


OUTCOME = pytest.StashKey[dict]()  # the check's outcome so far, in `item.stash`


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo) -> Any:
    result = yield
    report = result.get_result()
    previous = item.stash.get(OUTCOME, None)
    if call.excinfo is not None:
        outcome = classify(call.excinfo.value)
        if call.when != "call" and outcome["status"] == "failed":
            outcome["status"] = "error"
        if previous is None or previous["status"] == "passed":
            item.stash[OUTCOME] = outcome
    elif call.when == "call" and previous is None:
        item.stash[OUTCOME] = make_outcome("passed")
    report.grade_outcome = item.stash.get(OUTCOME, None)
