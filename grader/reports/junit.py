"""`--format junit`: JUnit XML as pytest writes it (`--junitxml`), for CI test reporters.

    <testsuites name="grade">
      <testsuite name="ex3" tests=".." failures=".." errors=".." skipped=".." time="..">
        <testcase classname="ex3.normalized_dataset" name="statistics_per_feature" time="0.41">
          <properties><property name="points" value="0"/><property name="max_points" value="2"/></properties>
          <failure message="mean has the wrong shape">...full feedback...</failure>
          <system-out>what the learner's code printed</system-out>
        </testcase>
      </testsuite>
    </testsuites>

A check that failed is a `<failure>`; one that could not run (a crash, the process ended,
an import error of the learner's file) is an `<error>`; a skipped one is `<skipped>`.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

from grader.i18n import Lang
from grader.results import CheckResult, ExerciseResult, Report, full_message

_ILLEGAL = {c: None for c in range(32) if c not in (9, 10, 13)}


def _clean(text: str) -> str:
    """XML 1.0 cannot carry most control characters: drop them."""
    return text.translate(_ILLEGAL)


def _counts(checks: list[CheckResult]) -> dict[str, str]:
    return {
        "tests": str(len(checks)),
        "failures": str(sum(c.status == "failed" for c in checks)),
        "errors": str(sum(c.status == "error" for c in checks)),
        "skipped": str(sum(c.status == "skipped" for c in checks)),
    }


def _testcase(parent: ET.Element, ex: ExerciseResult, check: CheckResult, lang: Lang, verbose: bool) -> None:
    case = ET.SubElement(parent, "testcase", classname=f"{ex.id}.{ex.slug}", name=_clean(check.name),
                         time=f"{check.duration_s:.3f}")
    props = ET.SubElement(case, "properties")
    ET.SubElement(props, "property", name="points", value=f"{check.points:g}")
    ET.SubElement(props, "property", name="max_points", value=f"{check.counted_max:g}")
    message = _clean(full_message(check, lang) or "")
    first = message.splitlines()[0] if message else ""
    if check.status in ("failed", "error"):
        body = message
        if verbose and check.traceback:
            body += "\n\n" + _clean(check.traceback)
        tag = "failure" if check.status == "failed" else "error"
        el = ET.SubElement(case, tag, message=first, type=tag)
        el.text = body
    elif check.status == "skipped":
        ET.SubElement(case, "skipped", message=first, type="pytest.skip").text = message
    if check.output:
        ET.SubElement(case, "system-out").text = _clean(check.output)


def render(report: Report, lang: Lang, verbose: bool = False) -> str:
    root = ET.Element("testsuites", name="grade")  # as pytest writes it: the counts are per testsuite
    for ex in report.exercises:
        suite = ET.SubElement(root, "testsuite", name=ex.id, **_counts(ex.checks), time=f"{ex.duration_s:.3f}")
        props = ET.SubElement(suite, "properties")
        for name, value in (("title", ex.title.render(lang)), ("status", ex.status),
                            ("score", f"{ex.score:g}"), ("max_score", f"{ex.max_score:g}")):
            ET.SubElement(props, "property", name=name, value=_clean(value))
        if ex.message is not None and not ex.checks:
            case = ET.SubElement(suite, "testcase", classname=f"{ex.id}.{ex.slug}", name="import", time="0.000")
            ET.SubElement(case, "error", message=_clean(ex.message.render(lang).splitlines()[0]),
                          type="error").text = _clean(ex.message.render(lang))
        for check in ex.checks:
            _testcase(suite, ex, check, lang, verbose)
    ET.indent(root)
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
