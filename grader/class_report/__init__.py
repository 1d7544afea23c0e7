"""The class report: `report.html` in a `grade batch` output folder, for the instructor.

    grade batch submissions/ --out grades/        # writes grades/report.html too
    grade report grades/ --lang ja                # again, from an existing output

One self-contained page (no network when viewed: charts are inline SVG, no scripts, and its
Content-Security-Policy forbids fetching anything): score distributions per exercise and
overall, the checks the class failed most with their idea to revisit, a students ×
exercises grid (score; missing / stub / timeout / error), identical and near-identical
submissions side by side (a hint, never a verdict) and grading health.

The pipeline, each step a module named after what runs in it:

1. `gather`      the output folder's gradebook and reports -> `ClassData`
2. `similarity`  copydetect's winnowing fingerprints, per exercise, in a child process
3. `charts`      matplotlib histograms as SVG
4. `render`      jinja2 -> report.html; the same numbers -> class-report.json

Needs the `instructor` extra (jinja2, matplotlib, copydetect): `KIT_EXTRAS=instructor ./grade batch ...`
installs it on first use (`pip install -e '.[instructor]'` by hand); without it `grade batch`
writes the gradebook and says on stderr why there is no report.html.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from grader.i18n import Lang

REPORT_HTML = "report.html"
REPORT_JSON = "class-report.json"
EXTRA = "instructor"


class ReportUnavailable(RuntimeError):
    """A library of the `instructor` extra is not installed."""


@dataclass(frozen=True)
class Written:
    html: Path
    json: Path


def write_report(out: Path, lang: Lang, submissions: Path | None = None) -> Written:
    """Write report.html and class-report.json into the batch output folder `out`.
    `submissions`: the class's folder (for similarity); None: the one the last report used."""
    try:
        import copydetect  # noqa: F401
        import jinja2  # noqa: F401
        import matplotlib  # noqa: F401
    except ImportError as exc:
        raise ReportUnavailable(f"{exc.name} is not installed: run `KIT_EXTRAS={EXTRA} ./grade ...` once, "
                                f"or pip install -e '.[{EXTRA}]'") from None
    from grader.class_report import charts, gather, render, similarity

    data = gather.gather(out, submissions or recorded_submissions(out))
    similar = similarity.find_similar(data)
    svgs = {"total": charts.histogram_svg(data.histogram(), "total", 5.5, 2.4)}
    svgs.update({e.id: charts.histogram_svg(data.histogram(e.id), e.id) for e in data.exercises})
    html = out / REPORT_HTML
    html.write_text(render.page(data, similar, svgs, lang), encoding="utf-8")
    numbers = out / REPORT_JSON
    numbers.write_text(json.dumps(render.numbers(data, similar), ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return Written(html, numbers)


def recorded_submissions(out: Path) -> Path | None:
    """The submissions folder the previous report of `out` was made from, if any."""
    try:
        recorded = json.loads((out / REPORT_JSON).read_text(encoding="utf-8")).get("submissions")
    except (OSError, ValueError, AttributeError):
        return None
    return Path(recorded) if recorded else None
