"""Gradescope, JUnit and Markdown reports: built from the same results as the JSON report,
in the shape the tools that read them expect."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from grader import catalog, reports
from grader.i18n import T
from grader.results import CheckResult, ExerciseResult, Report

KIT = catalog.KIT_ROOT

GRADESCOPE_SCHEMA = {
    "type": "object",
    "required": ["score", "output", "tests"],
    "properties": {
        "score": {"type": "number"},
        "output": {"type": "string"},
        "visibility": {"enum": ["hidden", "after_due_date", "after_published", "visible"]},
        "stdout_visibility": {"enum": ["hidden", "after_due_date", "after_published", "visible"]},
        "tests": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["name", "score", "max_score", "status", "output", "visibility"],
                "properties": {
                    "name": {"type": "string", "minLength": 1},
                    "number": {"type": "string"},
                    "score": {"type": "number", "minimum": 0},
                    "max_score": {"type": "number", "minimum": 0},
                    "status": {"enum": ["passed", "failed"]},
                    "output": {"type": "string"},
                    "visibility": {"enum": ["hidden", "after_due_date", "after_published", "visible"]},
                },
            },
        },
    },
}


def sample() -> Report:
    """Every status, a skipped check, an exercise that could not be imported, odd text."""
    checks = [
        CheckResult(name="answer[statement_1]", status="passed", max_points=1.0, duration_s=0.01),
        CheckResult(name="answer[statement_2]", status="failed", max_points=2.0, duration_s=0.02,
                    message=T(ja="答えが違います", en="the answer is wrong"), expected="True", actual="False",
                    help=T(ja="Define-by-Run", en="Define-by-Run"), output="debug | <print> & \x07bell\n"),
        CheckResult(name="parity[cuda]", status="skipped", max_points=1.0,
                    message=T(ja="CUDA デバイスがありません", en="no CUDA device")),
        CheckResult(name="returns_float", status="error", max_points=1.0,
                    message=T(ja="プロセスが終了しました", en="the process ended"), traceback="Traceback ..."),
    ]
    good = ExerciseResult(id="ex1", slug="true_or_false", title=T(ja="正誤問題", en="True | false"),
                          status="graded", checks=checks, duration_s=0.5)
    broken_checks = [CheckResult(name="loss", status="failed", max_points=3.0,
                                 message=T(ja="読み込めません", en="could not import"))]
    broken = ExerciseResult(id="ex2", slug="fix_training_loop", title=T(ja="学習ループ", en="Training loop"),
                            status="error", checks=broken_checks,
                            message=T(ja="SyntaxError: 12 行目", en="SyntaxError at line 12"))
    return Report([good, broken])


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_gradescope_results_validate(lang: str) -> None:
    jsonschema = pytest.importorskip("jsonschema")
    report = sample()
    data = json.loads(reports.get("gradescope")(report, lang, False))
    jsonschema.validate(data, GRADESCOPE_SCHEMA)
    assert data["score"] == report.score == 1.0
    assert [t["name"] for t in data["tests"]] == ["ex1 answer[statement_1]", "ex1 answer[statement_2]",
                                                  "ex1 parity[cuda]", "ex1 returns_float", "ex2 loss"]
    skipped = data["tests"][2]
    assert skipped["max_score"] == 0 and skipped["score"] == 0, "a skip neither adds nor removes points"
    assert sum(t["max_score"] for t in data["tests"]) == report.max_score == 7.0
    assert sum(t["score"] for t in data["tests"]) == data["score"]
    failed = data["tests"][1]
    assert failed["status"] == "failed" and ("wrong" in failed["output"] or "違います" in failed["output"])
    assert "debug | <print>" in failed["output"], "the learner's output is shown with the check"


def _pytest_junit(tmp_path: Path) -> ET.Element:
    """pytest's own JUnit XML for a pass, a failure, an error and a skip: the reference vocabulary."""
    (tmp_path / "test_sample.py").write_text(
        "import pytest\n"
        "@pytest.fixture\ndef broken():\n    raise RuntimeError('setup')\n"
        "def test_ok():\n    print('out')\n"
        "def test_fail():\n    assert 1 == 2\n"
        "def test_error(broken):\n    pass\n"
        "def test_skip():\n    pytest.skip('no gpu')\n"
        "@pytest.mark.parametrize('x', [1])\ndef test_prop(record_property, x):\n    record_property('points', 1)\n")
    xml = tmp_path / "pytest.xml"
    subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", str(tmp_path / "test_sample.py"),
                    f"--junitxml={xml}", "-o", "junit_family=xunit2", "-o", "junit_logging=system-out",
                    "--rootdir", str(tmp_path)], cwd=tmp_path, capture_output=True, timeout=120)
    return ET.parse(xml).getroot()


def _vocabulary(root: ET.Element) -> dict[str, set[str]]:
    vocab: dict[str, set[str]] = {}
    for el in root.iter():
        vocab.setdefault(el.tag, set()).update(el.attrib)
    return vocab


def test_junit_is_read_like_pytests_own(tmp_path: Path) -> None:
    report = sample()
    root = ET.fromstring(reports.get("junit")(report, "en", False).encode())
    reference = _vocabulary(_pytest_junit(tmp_path))
    ours = _vocabulary(root)
    for tag, attrs in ours.items():
        assert tag in reference, f"<{tag}> is not in pytest's JUnit"
        extra = attrs - reference[tag] - {"type", "message"}
        assert not extra, f"<{tag}> has attributes pytest does not write: {extra}"
    assert root.tag == "testsuites"
    suites = root.findall("testsuite")
    assert [s.get("name") for s in suites] == ["ex1", "ex2"]
    ex1 = suites[0]
    assert (ex1.get("tests"), ex1.get("failures"), ex1.get("errors"), ex1.get("skipped")) == ("4", "1", "1", "1")
    cases = {c.get("name"): c for c in ex1.findall("testcase")}
    assert cases["answer[statement_1]"].find("failure") is None
    assert "the answer is wrong" in cases["answer[statement_2]"].find("failure").text
    assert cases["returns_float"].find("error") is not None
    assert cases["parity[cuda]"].find("skipped") is not None
    assert "\x07" not in cases["answer[statement_2]"].find("system-out").text  # XML-safe
    for case in ex1.findall("testcase"):
        assert case.get("classname") == "ex1.true_or_false" and float(case.get("time")) >= 0
        props = {p.get("name"): p.get("value") for p in case.find("properties")}
        assert set(props) == {"points", "max_points"}
    assert sum(int(s.get("tests")) for s in suites) == 5 and sum(int(s.get("failures")) for s in suites) == 2


def test_markdown_summary_table_and_failures() -> None:
    md = reports.get("markdown")(sample(), "en", False)
    assert md.startswith("## Grading report — 1/7")
    assert "| ex1 True \\| false | ❌ failed | 1/4 |" in md
    assert "| ex2 Training loop | 💥 error | 0/3 |" in md
    assert "**1/7**" in md
    assert "`answer[statement_2]` (0/2)" in md and "the answer is wrong" in md
    assert "SyntaxError at line 12" in md
    assert "answer[statement_1]" not in md, "passed checks are not listed"
    ja = reports.get("markdown")(sample(), "ja", False)
    assert "採点結果" in ja and "答えが違います" in ja


@pytest.mark.parametrize("fmt", ["gradescope", "junit", "markdown"])
def test_formats_from_the_command_line(fmt: str, tmp_path: Path) -> None:
    out = tmp_path / f"report.{fmt}"
    proc = subprocess.run([sys.executable, "-m", "grader.cli", "ex1", "--reference", "--format", fmt,
                           "--output", str(out)], cwd=KIT, capture_output=True, text=True, timeout=300,
                          env={**os.environ, "GRADE_LANG": "en", "NO_COLOR": "1"})
    assert proc.returncode == 0, proc.stderr
    text = out.read_text(encoding="utf-8")
    if fmt == "gradescope":
        assert json.loads(text)["score"] == 4.0
    elif fmt == "junit":
        root = ET.fromstring(text.encode())
        assert root.find("testsuite").get("tests") == "4" and root.find("testsuite").get("failures") == "0"
    else:
        assert "4/4" in text
