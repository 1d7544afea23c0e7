"""The class report (report.html): numbers that match the gradebook, misconceptions, similar
submissions, escaping, and the page as a browser renders it with the network off.

One generated class (benchmarks/bench_batch.py's generator: 20 students, each exercise a
reference or alternative, a shipped mutant, the untouched stub or no file) graded on two
quick exercises (ex1, ex6) serves every test here; CSV and report are compared cell by cell.
"""

from __future__ import annotations

import csv
import json
import os
import shutil
import statistics
import sys
from html import unescape
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

from helpers import KIT, run_grade

from grader import batch, catalog
from grader.class_report import REPORT_HTML, REPORT_JSON, write_report
from grader.class_report.gather import idea_to_revisit, score_bin
from grader.class_report.similarity import K, MIN_TOKENS, WINDOW

sys.path.insert(0, str(KIT / "benchmarks"))
import bench_batch  # noqa: E402

EXERCISES = [catalog.resolve("ex1"), catalog.resolve("ex6")]
STUDENTS = 20


@pytest.fixture(scope="module")
def klass(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    root = tmp_path_factory.mktemp("class") / "submissions"
    with pytest.MonkeyPatch.context() as mp:  # files for these two exercises only: others may be mid-authoring
        mp.setattr(bench_batch.catalog, "discover", lambda *a, **kw: list(EXERCISES))
        plan = bench_batch.generate(root, STUDENTS, seed=20241123)
    planted = _plant_a_copy(root, plan)
    out = root.parent / "grades"
    saved = {k: os.environ.get(k) for k in ("GRADE_CHECK_JOBS", "GRADE_MAX_EXAMPLES")}
    os.environ.update(GRADE_CHECK_JOBS="1", GRADE_MAX_EXAMPLES="10")  # the report is tested, not the checks
    try:
        result = batch.run_batch(batch.BatchOptions(root=root, out=out, exercises=EXERCISES, jobs=1, timeout=120))
    finally:
        for k, v in saved.items():
            os.environ.pop(k) if v is None else os.environ.__setitem__(k, v)
    assert result.report == out / REPORT_HTML, result.report_note
    with open(out / "gradebook.csv", encoding="utf-8") as f:
        rows = {r["student"]: r for r in csv.DictReader(f)}
    reports = {s: json.loads((out / "students" / s / "report.json").read_text(encoding="utf-8")) for s in rows}
    return {"root": root, "out": out, "plan": plan, "planted": planted, "csv": rows, "reports": reports,
            "html": (out / REPORT_HTML).read_text(encoding="utf-8"),
            "numbers": json.loads((out / REPORT_JSON).read_text(encoding="utf-8"))}


def _plant_a_copy(root: Path, plan: dict[str, dict[str, str]]) -> tuple[str, str]:
    """One student hands in another's ex6 with other comments and layout (what copying looks
    like): the report must group the two."""
    ex6 = EXERCISES[1]
    correct = [s for s, handed in plan.items() if handed[ex6.id].startswith("correct:")]
    source, copier = correct[0], correct[-1]
    lines = (root / source / ex6.filename).read_text(encoding="utf-8").splitlines()
    copied = "\n\n".join(line.split("  #")[0] for line in lines if not line.lstrip().startswith("#"))
    (root / copier / ex6.filename).write_text(f"# my own work, {copier}\n{copied}\n", encoding="utf-8")
    plan[copier][ex6.id] = plan[source][ex6.id]
    return source, copier


class Page(HTMLParser):
    """The elements of report.html the tests read: data-* attributes by element class."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.elements: list[tuple[str, dict[str, str]]] = []
        self.scripts = 0
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append((tag, {k: v or "" for k, v in attrs}))
        self.scripts += tag == "script"

    def having(self, css_class: str = "", **data: str) -> list[dict[str, str]]:
        return [a for _, a in self.elements if (not css_class or css_class in a.get("class", "").split())
                and all(a.get(f"data-{k.replace('_', '-')}") == v for k, v in data.items())]


def _num(text: str) -> str:
    return f"{float(text):g}"


# -- the numbers -----------------------------------------------------------------------------
def test_grid_matches_the_gradebook_csv_cell_by_cell(klass) -> None:
    page = Page(klass["html"])
    assert len(klass["csv"]) == STUDENTS and len(page.having("total")) == STUDENTS
    for student, row in klass["csv"].items():
        for ex in EXERCISES:
            (cell,) = page.having("cell", student=student, exercise=ex.id)
            assert cell["data-score"] == _num(row[ex.id]), (student, ex.id)
        (total,) = page.having("total", student=student)
        assert (total["data-total"], total["data-max"]) == (_num(row["total"]), _num(row["max_score"]))


def test_statuses_say_what_each_student_handed_in(klass) -> None:
    page = Page(klass["html"])
    for student, handed in klass["plan"].items():
        for ex in EXERCISES:
            kind = handed[ex.id].split(":")[0]
            (cell,) = page.having("cell", student=student, exercise=ex.id)
            expected = {"missing": "missing", "stub": "stub"}.get(kind, "graded")
            assert cell["data-status"] == expected, (student, ex.id, handed[ex.id])
            if kind == "correct":
                assert cell["data-score"] == cell["data-max"], f"{student} {ex.id}: a correct solution lost points"


def test_statistics_and_distributions_match_the_csv(klass) -> None:
    page = Page(klass["html"])
    rows, reports = klass["csv"], klass["reports"]
    totals = [float(r["total"]) for r in rows.values()]
    (overall,) = page.having(chart="total")
    expected = [0] * 6
    for r in rows.values():
        expected[score_bin(float(r["total"]), float(r["max_score"]))] += 1
    assert overall["data-counts"] == ",".join(map(str, expected)) and sum(expected) == STUDENTS
    for ex in EXERCISES:
        scores = [float(r[ex.id]) for r in rows.values()]
        maxima = {s: next(e["max_score"] for e in reports[s]["exercises"] if e["id"] == ex.id) for s in rows}
        counts = [0] * 6
        for s, r in rows.items():
            counts[score_bin(float(r[ex.id]), maxima[s])] += 1
        (figure,) = page.having(chart=ex.id)
        assert figure["data-counts"] == ",".join(map(str, counts)), ex.id
        stats = next(e["stats"] for e in klass["numbers"]["exercises"] if e["id"] == ex.id)
        assert stats["mean"] == pytest.approx(statistics.fmean(scores)) and stats["median"] == statistics.median(scores)
        assert stats["full"] == sum(1 for s, r in rows.items() if float(r[ex.id]) >= maxima[s] > 0)
        assert f'data-mean="{statistics.fmean(scores):.2f}"' in klass["html"]
    assert f'data-mean="{statistics.fmean(totals):.2f}"' in klass["html"]
    assert klass["numbers"]["total"]["stats"]["median"] == statistics.median(totals)


def test_misconceptions_count_failed_attempts_most_common_first(klass) -> None:
    page = Page(klass["html"])
    rows = page.having("misconception")
    assert rows, "a class with mutants fails some checks"
    shares = [int(r["data-failed"]) / int(r["data-attempts"]) for r in rows]
    assert shares == sorted(shares, reverse=True)
    cells = {(a["data-student"], a["data-exercise"]): a["data-status"] for a in page.having("cell")}
    for row in rows:
        ex, checks = row["data-exercise"], set(json.loads(row["data-checks"]))
        attempted = [s for s in klass["csv"] if cells[(s, ex)] in ("graded", "timeout", "error")]
        failed = [s for s in attempted if any(c["name"] in checks and c["status"] in ("failed", "error")
                                              for e in klass["reports"][s]["exercises"] if e["id"] == ex
                                              for c in e["checks"])]
        assert (int(row["data-attempts"]), int(row["data-failed"])) == (len(attempted), len(failed)), row
    ideas = [m["idea"] for m in klass["numbers"]["misconceptions"]]
    text = unescape(klass["html"])  # however the page escapes a quote (&quot;, &#34;, &#39;)
    assert any(ideas) and all(i in text for i in ideas if "<" not in i)


def test_copies_of_one_solution_are_grouped_as_similar(klass) -> None:
    """The generator hands the same reference or alternative to several students (each with
    their name in a comment): after normalisation those files are one group."""
    groups = [g for g in klass["numbers"]["similar"]]
    assert groups, "20 students drawing from a few solutions share some"
    sources: dict[tuple[str, str], list[str]] = {}
    for student, handed in klass["plan"].items():
        for ex in EXERCISES:
            if handed[ex.id].split(":")[0] in ("correct", "wrong"):
                sources.setdefault((ex.id, handed[ex.id]), []).append(student)
    import numpy as np
    from copydetect import CodeFingerprint

    source, copier = klass["planted"]
    assert [g for g in groups if g["exercise"] == "ex6" and {source, copier} <= set(g["members"])], \
        f"{copier} handed in {source}'s ex6 with other comments and layout, and they are not grouped"
    for (ex_id, source), students in sources.items():
        ex = catalog.resolve(ex_id)
        stub = np.unique(np.array(sorted(CodeFingerprint(str(ex.stub_path), K, 1, language="python").hashes)))
        fp = CodeFingerprint(str(klass["root"] / students[0] / ex.filename), K, WINDOW, boilerplate=stub,
                             language="python")
        if len(students) < 2 or fp.token_coverage < MIN_TOKENS * 1.2:  # a margin: winnowing depends on the hash seed
            continue  # short files are not compared
        together = [g for g in groups if g["exercise"] == ex_id and set(students) <= set(g["members"])]
        assert together, f"{students} handed in {source} and are not grouped"
    for g in klass["numbers"]["similar"]:
        assert len(g["members"]) >= 2 and g["kind"] in ("identical", "near")


def test_the_same_output_gives_the_same_report(klass, tmp_path: Path) -> None:
    copy = tmp_path / "grades"
    shutil.copytree(klass["out"], copy)
    write_report(copy, "en", klass["root"])
    assert (copy / REPORT_HTML).read_text(encoding="utf-8") == klass["html"]


def test_grade_report_cli_rewrites_it_in_japanese(klass, tmp_path: Path) -> None:
    copy = tmp_path / "grades"
    shutil.copytree(klass["out"], copy)
    proc = run_grade("report", str(copy), "--lang", "ja")  # the submissions folder: from class-report.json
    assert proc.returncode == 0, proc.stderr
    html = (copy / REPORT_HTML).read_text(encoding="utf-8")
    assert '<html lang="ja">' in html and "クラスの採点レポート" in html and "見直すポイント" in html
    assert Page(html).having("similar-group"), "similarity found the submissions recorded by the first report"
    assert run_grade("report", str(tmp_path / "nothing-here")).returncode == 2


# -- small, hand-made classes ------------------------------------------------------------------
def test_student_text_is_escaped_and_the_page_has_no_script(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    ex1 = EXERCISES[0]
    root = tmp_path / "subs"
    evil = "x<img src=x onerror=alert(1)>"
    for name in ("ana", evil):
        (root / name).mkdir(parents=True)
    code = ex1.reference_path.read_text() + "\n# </pre><script>alert('code')</script>\n" + "\n".join(
        f"helper_{i} = [value * {i} for value in range({i}, {i} + 10) if value % 3 != {i % 3}]" for i in range(12))
    for name in ("ana", evil):
        (root / name / ex1.filename).write_text(code, encoding="utf-8")
    out = tmp_path / "grades"
    monkeypatch.setenv("GRADE_CHECK_JOBS", "1")
    result = batch.run_batch(batch.BatchOptions(root=root, out=out, exercises=[ex1], jobs=1, timeout=60))
    html = (out / REPORT_HTML).read_text(encoding="utf-8")
    page = Page(html)
    assert page.scripts == 0 and not [a for t, a in page.elements if t == "img"]
    assert "&lt;script&gt;" in html and "&lt;img" in html
    (group,) = page.having("similar-group")
    assert group["data-kind"] == "identical" and sorted(json.loads(group["data-members"])) == sorted(["ana", evil])
    assert result.report is not None


def test_statuses_health_and_attempts_from_a_written_output(tmp_path: Path) -> None:
    """An output written by the batch's own writers, with what a real class rarely shows at
    once: a time-out, an import error, a crashed check, the stub, a missing file."""
    import hashlib

    from grader.gradebook import Gradebook, Row
    from grader.i18n import T
    from grader.results import CheckResult, ExerciseResult

    ex1 = EXERCISES[0]
    idea = T(ja="True/False で答える", en="answer with True/False")

    def result(status: str, checks: list[tuple[str, str]], message: str | None = None) -> ExerciseResult:
        return ExerciseResult(ex1.id, ex1.slug, ex1.title, status, message=T.same(message) if message else None,
                              checks=[CheckResult(n, st, 1.0, message=T.same("wrong") if st != "passed" else None,
                                                  help=idea if st == "failed" and status == "graded" else None)
                                      for n, st in checks])

    names = ["a", "b", "c"]
    stub_sha = hashlib.sha256(ex1.stub_path.read_bytes()).hexdigest()
    cases = {
        "ana": (result("graded", [(n, "passed") for n in names]), "x"),
        "ben": (result("graded", [("a", "failed"), ("b", "failed"), ("c", "passed")]), "y"),
        "chika": (result("graded", [("a", "failed"), ("b", "error"), ("c", "passed")]), "z"),  # b's process crashed
        "dan": (result("timeout", [(n, "failed") for n in names], "timed out after 30 s"), "t"),
        "eve": (result("error", [(n, "failed") for n in names], "SyntaxError: invalid syntax (line 1)"), "e"),
        "fay": (result("graded", [(n, "failed") for n in names]), stub_sha),  # the untouched stub
        "gus": (result("missing", [(n, "failed") for n in names], "no file"), None),
    }
    out = tmp_path / "grades"
    book = Gradebook(exercises=[ex1.id], roster=[*cases, "hal"])  # hal: in the roster, graded by no one
    for student, (res, sha) in cases.items():
        batch._write_student(out, student, [res], {"files": {ex1.id: sha}, "others": "", "checks": ""}, "en")
        book.add(Row.from_report(student, json.loads((out / "students" / student / "report.json").read_text())))
    book.write(out)
    write_report(out, "en")
    page, numbers = Page((out / REPORT_HTML).read_text()), json.loads((out / REPORT_JSON).read_text())
    assert {s: numbers["grid"][s][ex1.id]["status"] for s in cases} == {
        "ana": "graded", "ben": "graded", "chika": "graded", "dan": "timeout", "eve": "error", "fay": "stub",
        "gus": "missing"}
    assert numbers["health"] == {"timeouts": 1, "errors": 1, "crashed_checks": 1, "not_graded": ["hal"]}
    rows = {" ".join(json.loads(r["data-checks"])): (int(r["data-failed"]), int(r["data-attempts"]))
            for r in page.having("misconception")}
    # attempts: ana, ben, chika, dan, eve (not the stub, not the missing file); a and b share one idea
    assert rows == {"a b": (4, 5), "c": (2, 5)}
    assert "answer with True/False" in (out / REPORT_HTML).read_text()
    assert "submissions folder is unknown" in (out / REPORT_HTML).read_text()


def test_a_fix_exercise_handed_back_as_given_reads_not_fixed_yet() -> None:
    import hashlib

    from grader.class_report.gather import _cell, _exercise_info

    fix = next(ex for ex in catalog.discover() if ex.is_fix)
    info = _exercise_info(fix.id, 20.0)
    untouched = hashlib.sha256(fix.stub_path.read_bytes()).hexdigest()
    cell = _cell("fay", {"id": fix.id, "score": 4.0, "max_score": 20.0, "status": "graded"}, info, untouched)
    assert cell.status == "unfixed"
    assert _cell("fay", {"id": "ex1", "score": 0.0, "max_score": 4.0, "status": "graded"},
                 _exercise_info("ex1", 4.0), hashlib.sha256(EXERCISES[0].stub_path.read_bytes()).hexdigest()
                 ).status == "stub"


def test_merged_shards_get_one_report(tmp_path: Path) -> None:
    from grader.gradebook import Gradebook, Row
    from grader.results import CheckResult, ExerciseResult

    ex1 = EXERCISES[0]
    outputs = []
    for shard, (student, status) in enumerate((("ana", "passed"), ("ben", "failed")), start=1):
        out = tmp_path / f"grades-{shard}"
        res = ExerciseResult(ex1.id, ex1.slug, ex1.title, "graded", checks=[CheckResult("a", status, 4.0)])
        batch._write_student(out, student, [res], {"files": {ex1.id: "x"}, "others": "", "checks": ""}, "en")
        book = Gradebook(exercises=[ex1.id], roster=["ana", "ben"], shards=[f"{shard}/2"])
        book.add(Row.from_report(student, json.loads((out / "students" / student / "report.json").read_text())))
        book.write(out)
        outputs.append(str(out))
    proc = run_grade("gradebook", "merge", *outputs, "--out", str(tmp_path / "merged"))
    assert proc.returncode == 0, proc.stderr
    numbers = json.loads((tmp_path / "merged" / REPORT_JSON).read_text())
    assert {s: g["total"] for s, g in numbers["grid"].items()} == {"ana": 4.0, "ben": 0.0}
    assert "class report" in proc.stdout and (tmp_path / "merged" / REPORT_HTML).is_file()


def test_without_the_instructor_extra_the_report_says_how_to_get_it(tmp_path: Path, monkeypatch) -> None:
    from grader.class_report import ReportUnavailable

    monkeypatch.setitem(sys.modules, "copydetect", None)  # as if not installed: importing it fails
    with pytest.raises(ReportUnavailable, match=r"copydetect is not installed.*KIT_EXTRAS=instructor"):
        write_report(tmp_path, "en")
    assert not (tmp_path / REPORT_HTML).exists()


def test_helpers_bins_and_the_idea_to_revisit() -> None:
    assert [score_bin(s, 4) for s in (0, 0.5, 1, 2, 3, 3.99, 4)] == [0, 1, 2, 3, 4, 4, 5]
    assert score_bin(0, 0) == 0 and score_bin(5, 4) == 5
    message = "wrong shape\nexpected: (3,)\ngot: (3, 1)\nidea to revisit: keep the batch dimension"
    assert idea_to_revisit(message) == "keep the batch dimension"
    assert idea_to_revisit("間違い\n見直すポイント: keepdim を確認") == "keepdim を確認"
    assert idea_to_revisit("no advice here") == ""


# -- in a real browser -------------------------------------------------------------------------
def _browser() -> Any:
    chromium, driver = shutil.which("chromium"), shutil.which("chromedriver")
    if not chromium or not driver:
        pytest.skip("Debian's chromium and chromium-driver are not installed (.ci/run installs them as root; "
                    "apt-get install chromium chromium-driver)")
    try:
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service
    except ImportError:
        pytest.skip("selenium is not installed (pip install -e '.[dev]')")
    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--window-size=1280,2400",
                "--host-resolver-rules=MAP * ~NOTFOUND", "--proxy-server=127.0.0.1:9", "--disable-background-networking"):
        options.add_argument(arg)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    return webdriver.Chrome(service=Service(executable_path=driver), options=options)


def test_report_renders_offline_in_chromium(klass, tmp_path: Path) -> None:
    browser = _browser()
    try:
        browser.execute_cdp_cmd("Network.enable", {})
        browser.execute_cdp_cmd("Network.emulateNetworkConditions", {"offline": True, "latency": 0,
                                                                      "downloadThroughput": 0, "uploadThroughput": 0})
        browser.get((klass["out"] / REPORT_HTML).as_uri())
        js = browser.execute_script
        assert js("return document.readyState") == "complete"
        figures = js("return [...document.querySelectorAll('figure.chart')].map(f => "
                     "[f.dataset.chart, f.querySelectorAll('svg g[id^=bar-]').length, f.querySelector('svg').getBBox().width])")
        assert sorted(f[0] for f in figures) == sorted(["total", *(e.id for e in EXERCISES)])
        assert all(bars == 6 and width > 100 for _, bars, width in figures), figures
        assert js("return document.querySelectorAll('#grid tbody tr').length") == STUDENTS
        statuses = js("return [...document.querySelectorAll('td.cell')].map(c => c.dataset.status)")
        grid = klass["numbers"]["grid"]
        assert sorted(statuses) == sorted(grid[s][e.id]["status"] for s in grid for e in EXERCISES)
        assert js("return document.querySelectorAll('tr.misconception').length") == len(klass["numbers"]["misconceptions"])
        assert js("return document.querySelectorAll('.similar-group').length") == len(klass["numbers"]["similar"])
        js("document.querySelector('details.pair-view').open = true")
        marks = js("return [...document.querySelectorAll('details.pair-view')[0].querySelectorAll('pre')]"
                   ".map(p => [p.offsetHeight > 0, p.querySelectorAll('mark').length])")
        assert len(marks) == 2 and all(visible and n > 0 for visible, n in marks), marks
        assert js("return performance.getEntriesByType('resource').length") == 0, "the page fetched something"
        errors = [e for e in browser.get_log("browser") if e["level"] in ("SEVERE", "ERROR")]
        assert not errors, errors
        shot = tmp_path / "report.png"
        assert browser.save_screenshot(str(shot)) and shot.stat().st_size > 10_000
    finally:
        browser.quit()
