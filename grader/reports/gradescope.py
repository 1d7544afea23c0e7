"""`--format gradescope`: Gradescope's autograder `results.json`.

    {"score": 7.0, "output": "...", "visibility": "visible", "stdout_visibility": "hidden",
     "tests": [{"name": "ex3 statistics_per_feature", "number": "3.1", "score": 2.0,
                "max_score": 2.0, "status": "passed", "output": "...", "visibility": "visible"}]}

One test per check. A skipped check (a device or framework that is not there) is listed
with `max_score` 0, so it neither adds nor removes points. An exercise that could not be
graded at all (missing file, import error, time-out) lists its checks as failed with the
reason. What the learner's code printed is included in that check's `output`, after the
feedback, and cut to a readable length.
"""

from __future__ import annotations

import json
from typing import Any

from grader.i18n import Lang, T
from grader.results import CheckResult, ExerciseResult, Report, full_message

OUTPUT_LIMIT = 4000

UI = {
    "skipped": T(ja="スキップ（満点に含まれません）", en="skipped (does not count toward the maximum)"),
    "printed": T(ja="あなたのコードの出力", en="output of your code"),
    "passed": T(ja="合格", en="passed"),
}


def _cut(text: str, limit: int = OUTPUT_LIMIT) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _test(ex: ExerciseResult, index: int, check: CheckResult, lang: Lang) -> dict[str, Any]:
    message = full_message(check, lang)
    if check.status == "skipped":
        body = UI["skipped"].render(lang) + (f": {message}" if message else "")
    else:
        body = message or (UI["passed"].render(lang) if check.status == "passed" else "")
    if check.output.strip():
        body += f"\n\n--- {UI['printed'].render(lang)} ---\n{_cut(check.output.rstrip(), 1500)}"
    return {
        "name": f"{ex.id} {check.name}",
        "number": f"{ex.id.removeprefix('ex')}.{index}",
        "score": check.points,
        "max_score": check.counted_max,
        "status": "passed" if check.status in ("passed", "skipped") else "failed",
        "output": _cut(body),
        "visibility": "visible",
    }


def _summary(report: Report, lang: Lang) -> str:
    lines = []
    for ex in report.exercises:
        head = f"{ex.id} {ex.title.render(lang)}: {ex.score:g}/{ex.max_score:g}"
        if ex.message is not None:
            head += f" — {ex.message.render(lang).splitlines()[0]}"
        lines.append(head)
    total = T(ja="合計", en="total").render(lang)
    lines.append(f"{total}: {report.score:g}/{report.max_score:g}")
    return "\n".join(lines)


def results(report: Report, lang: Lang) -> dict[str, Any]:
    """The results.json object (plain data)."""
    tests = [_test(ex, i, c, lang) for ex in report.exercises for i, c in enumerate(ex.checks, start=1)]
    return {
        "score": report.score,
        "output": _summary(report, lang),
        "visibility": "visible",
        "stdout_visibility": "hidden",
        "tests": tests,
    }


def render(report: Report, lang: Lang, verbose: bool = False) -> str:
    return json.dumps(results(report, lang), ensure_ascii=False, indent=2)
