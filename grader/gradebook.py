"""The class gradebook: one row per student, a column per exercise, the total.

`grade batch` writes, in its output folder:

    gradebook.csv          student, ex1, ex2, ..., total, max_score   (one row per student)
    gradebook.json         the same with each exercise's maximum, the shard and the roster
    summary.md             per-exercise statistics for a CI job summary
    students/<name>/report.json    the stable JSON report (`--format json`)
    students/<name>/results.json   Gradescope's results.json
    students/<name>/batch.json     what was graded: fingerprints that make a re-run skip it

`grade gradebook merge OUT1 OUT2 ...` joins the outputs of `grade batch --shard K/N` runs:
it refuses a student graded in two shards and reports students of the roster (the
sub-folders of DIR that the shards saw) that no shard graded.
"""

from __future__ import annotations

import csv
import io
import json
import shutil
import statistics
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

GRADEBOOK_CSV = "gradebook.csv"
GRADEBOOK_JSON = "gradebook.json"
SUMMARY_MD = "summary.md"
STUDENTS = "students"


@dataclass
class Row:
    student: str
    scores: dict[str, float]  # exercise id -> score
    maxima: dict[str, float]  # exercise id -> max score
    statuses: dict[str, str] = field(default_factory=dict)

    @property
    def total(self) -> float:
        return float(sum(self.scores.values()))

    @property
    def max_score(self) -> float:
        return float(sum(self.maxima.values()))

    @classmethod
    def from_report(cls, student: str, report: dict[str, Any]) -> "Row":
        exercises = report.get("exercises", [])
        return cls(student, {e["id"]: float(e["score"]) for e in exercises},
                   {e["id"]: float(e["max_score"]) for e in exercises},
                   {e["id"]: str(e.get("status", "graded")) for e in exercises})


@dataclass
class Gradebook:
    exercises: list[str]
    rows: dict[str, Row] = field(default_factory=dict)
    roster: list[str] = field(default_factory=list)  # every student the batch saw (all shards)
    shards: list[str] = field(default_factory=list)  # "K/N" of each output merged in

    def add(self, row: Row) -> None:
        self.rows[row.student] = row
        for ex in row.scores:
            if ex not in self.exercises:
                self.exercises.append(ex)

    def maxima(self) -> dict[str, float]:
        out: dict[str, float] = {}
        for row in self.rows.values():
            for ex, m in row.maxima.items():
                out[ex] = max(out.get(ex, 0.0), m)
        return out

    def missing(self) -> list[str]:
        return sorted(set(self.roster) - set(self.rows))

    # -- writing ------------------------------------------------------------------------
    def to_csv(self) -> str:
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        exercises = _ordered(self.exercises)
        writer.writerow(["student", *exercises, "total", "max_score"])
        for name in sorted(self.rows):
            row = self.rows[name]
            writer.writerow([name, *(_num(row.scores[e]) if e in row.scores else "" for e in exercises),
                             _num(row.total), _num(row.max_score)])
        return buffer.getvalue()

    def to_json(self) -> dict[str, Any]:
        return {
            "schema": 1,
            "exercises": _ordered(self.exercises),
            "max_scores": {e: m for e, m in sorted(self.maxima().items(), key=lambda kv: _key(kv[0]))},
            "roster": sorted(self.roster),
            "shards": self.shards,
            "missing": self.missing(),
            "students": {name: {"scores": row.scores, "statuses": row.statuses, "total": row.total,
                                "max_score": row.max_score} for name, row in sorted(self.rows.items())},
        }

    def summary_markdown(self) -> str:
        maxima = self.maxima()
        lines = [f"## Gradebook — {len(self.rows)} students", "",
                 "| exercise | max | mean | median | min | max scored | full marks |", "|---|---:|---:|---:|---:|---:|---:|"]
        for ex in _ordered(self.exercises):
            scores = [r.scores[ex] for r in self.rows.values() if ex in r.scores]
            if not scores:
                continue
            full = sum(1 for s in scores if s >= maxima.get(ex, 0) > 0)
            lines.append(f"| {ex} | {_num(maxima.get(ex, 0))} | {statistics.fmean(scores):.2f} | "
                         f"{_num(statistics.median(scores))} | {_num(min(scores))} | {_num(max(scores))} | "
                         f"{full}/{len(scores)} |")
        totals = [r.total for r in self.rows.values()]
        if totals:
            lines.append(f"| **total** | {_num(sum(maxima.values()))} | {statistics.fmean(totals):.2f} | "
                         f"{_num(statistics.median(totals))} | {_num(min(totals))} | {_num(max(totals))} | |")
        if self.missing():
            lines += ["", f"**Not graded ({len(self.missing())}):** " + ", ".join(self.missing())]
        return "\n".join(lines) + "\n"

    def write(self, out: Path) -> None:
        out.mkdir(parents=True, exist_ok=True)
        (out / GRADEBOOK_CSV).write_text(self.to_csv(), encoding="utf-8")
        (out / GRADEBOOK_JSON).write_text(json.dumps(self.to_json(), ensure_ascii=False, indent=2) + "\n",
                                          encoding="utf-8")
        (out / SUMMARY_MD).write_text(self.summary_markdown(), encoding="utf-8")


def _num(value: float) -> str:
    return f"{value:g}"


def _key(ex_id: str) -> tuple[int, str]:
    digits = "".join(ch for ch in ex_id if ch.isdigit())
    return (int(digits) if digits else 10**6, ex_id)


def _ordered(exercises: list[str]) -> list[str]:
    return sorted(dict.fromkeys(exercises), key=_key)


# -- reading a batch output ----------------------------------------------------------------
def load_output(out: Path) -> Gradebook:
    """The gradebook of one `grade batch` output folder, from its per-student reports."""
    meta: dict[str, Any] = {}
    if (out / GRADEBOOK_JSON).is_file():
        meta = json.loads((out / GRADEBOOK_JSON).read_text(encoding="utf-8"))
    book = Gradebook(exercises=list(meta.get("exercises", [])), roster=list(meta.get("roster", [])),
                     shards=list(meta.get("shards", [])))
    students = out / STUDENTS
    listed = meta.get("students")
    names = sorted(listed) if isinstance(listed, dict) else (
        sorted(p.name for p in students.iterdir() if p.is_dir()) if students.is_dir() else [])
    for name in names:  # the gradebook's own list: stale folders of other runs are not part of it
        report = students / name / "report.json"
        if report.is_file():
            book.add(Row.from_report(name, json.loads(report.read_text(encoding="utf-8"))))
    return book


class MergeConflict(ValueError):
    """The same student appears in more than one output."""

    def __init__(self, overlaps: dict[str, list[str]]):
        super().__init__(", ".join(f"{s} ({' and '.join(o)})" for s, o in sorted(overlaps.items())))
        self.overlaps = overlaps


def merge(outputs: list[Path], dest: Path | None = None) -> Gradebook:
    """Join shard outputs into one gradebook (and, with `dest`, one output folder).

    Raises MergeConflict when a student was graded in two outputs. The result's
    `missing()` lists roster students that no output graded."""
    merged = Gradebook(exercises=[])
    seen: dict[str, list[str]] = {}
    books = []
    for out in outputs:
        book = load_output(out)
        books.append((out, book))
        for student in book.rows:
            seen.setdefault(student, []).append(str(out))
    overlaps = {s: where for s, where in seen.items() if len(where) > 1}
    if overlaps:
        raise MergeConflict(overlaps)
    roster: set[str] = set()
    for out, book in books:
        for ex in book.exercises:
            if ex not in merged.exercises:
                merged.exercises.append(ex)
        for row in book.rows.values():
            merged.add(row)
        roster.update(book.roster or book.rows)
        merged.shards += book.shards
    merged.roster = sorted(roster)
    if dest is not None:
        dest.mkdir(parents=True, exist_ok=True)
        for out, book in books:
            for student in book.rows:
                src = out / STUDENTS / student
                if src.resolve() != (dest / STUDENTS / student).resolve():
                    shutil.copytree(src, dest / STUDENTS / student, dirs_exist_ok=True)
        merged.write(dest)
    return merged
