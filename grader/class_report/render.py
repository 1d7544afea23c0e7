"""The class report as one HTML page (jinja2, autoescaped; templates/report.html.j2), and
its numbers as JSON (class-report.json) for other tools and the kit's tests.

Every student-written string (names, code, messages) goes through the template's
escaping; only the SVG charts and copydetect's already-escaped code views are marked safe.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from grader.class_report.gather import BINS, ClassData
from grader.class_report.similarity import Similarity
from grader.i18n import Lang, T

TEMPLATES = Path(__file__).resolve().parent / "templates"

UI = {k: T(ja=ja, en=en) for k, (ja, en) in {
    "title": ("クラスの採点レポート", "Class grading report"),
    "students": ("学生", "students"),
    "exercises": ("課題", "exercises"),
    "overview": ("概要", "Overview"),
    "overall": ("合計点の分布", "Distribution of total scores"),
    "distributions": ("課題ごとの得点分布", "Score distribution per exercise"),
    "stats": ("統計", "Statistics"),
    "exercise": ("課題", "exercise"),
    "graded": ("採点数", "graded"),
    "mean": ("平均", "mean"),
    "median": ("中央値", "median"),
    "min": ("最小", "min"),
    "max": ("最大", "max"),
    "max_score": ("満点", "max score"),
    "full": ("満点の人数", "full marks"),
    "total": ("合計", "total"),
    "misconceptions": ("つまずきの多いチェック（多い順）", "Checks the class failed, most common first"),
    "misconceptions_note": ("提出された（ファイルなし・スタブのままを除く）解答のうち、そのチェックに失敗した割合。"
                            "「見直すポイント」は学生が受け取った助言で、授業で扱い直す候補です。",
                            "Share of attempted submissions (not missing, not the untouched stub) that failed the "
                            "check. The idea to revisit is the advice students got: candidates to re-teach."),
    "check": ("チェック", "checks"),
    "failed_by": ("失敗", "failed"),
    "idea": ("見直すポイント", "idea to revisit"),
    "no_failures": ("どのチェックも全員が合格しました。", "Every attempt passed every check."),
    "grid": ("学生 × 課題", "Students × exercises"),
    "student": ("学生", "student"),
    "similar": ("同一・酷似した提出物", "Identical and near-identical submissions"),
    "similar_note": ("ヒントであり判定ではありません。短い課題は正解の書き方が少なく、同じ教科書からは同じコードが生まれます。"
                     "変数名・コメント・書式の違いは無視して比べています（copydetect の winnowing）。",
                     "A hint, never a verdict: short exercises have few ways to be right, and one textbook yields "
                     "the same code. Names, comments and layout are ignored (copydetect's winnowing)."),
    "identical": ("正規化後に同一", "identical after normalisation"),
    "near": ("酷似", "near-identical"),
    "no_similar": ("該当する組はありません。", "No such groups."),
    "compared": ("{ex}: {n} 件を比較（短すぎて比較しないもの {short} 件）", "{ex}: {n} files compared ({short} too short to compare)"),
    "unavailable_submissions": ("提出物のフォルダが分からないため比較していません（grade report OUT --submissions DIR）。",
                                "Not compared: the submissions folder is unknown (grade report OUT --submissions DIR)."),
    "unavailable": ("比較できませんでした: {why}", "Could not compare: {why}"),
    "side_by_side": ("並べて表示", "side by side"),
    "overlap": ("一致 {a}% / {b}%", "overlap {a}% / {b}%"),
    "health": ("採点の健全性", "Grading health"),
    "timeouts": ("時間切れ", "timeouts"),
    "errors": ("エラー（読み込み失敗・採点器の内部エラー）", "errors (import failed, internal grader error)"),
    "crashed": ("チェックのプロセスが異常終了", "check processes that crashed"),
    "not_graded": ("採点されていない学生", "students not graded"),
    "slowest": ("最も時間のかかった採点", "slowest gradings"),
    "none": ("なし", "none"),
    "status_graded": ("採点済み", "graded"),
    "status_missing": ("ファイルなし", "missing"),
    "status_stub": ("スタブのまま", "stub"),
    "status_unfixed": ("未修正（配布したまま）", "not fixed yet (as handed out)"),
    "status_timeout": ("時間切れ", "timeout"),
    "status_error": ("エラー", "error"),
    "legend": ("凡例", "legend"),
}.items()}


def page(data: ClassData, similar: Similarity, charts: dict[str, str], lang: Lang) -> str:
    """The report.html text."""
    from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
    from markupsafe import Markup

    env = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(["html", "j2"]),
                      undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)
    env.filters["num"] = lambda v: f"{v:g}" if isinstance(v, (int, float)) else v
    env.filters["pct"] = lambda v: f"{100 * v:.0f}"
    ui = {k: t.render(lang) for k, t in UI.items()}
    return env.get_template("report.html.j2").render(
        lang=lang, ui=ui, data=data, similar=similar, bins=[b.render(lang) for b in BINS],
        charts={k: Markup(v) for k, v in charts.items()},  # noqa: S704 -- matplotlib's SVG, no student text in it
        safe=Markup, titles={e.id: e.title.render(lang) for e in data.exercises},
        fmt=lambda key, **kw: UI[key].format(**kw).render(lang))


def numbers(data: ClassData, similar: Similarity) -> dict[str, Any]:
    """class-report.json: what the page shows, as plain data."""
    return {
        "schema": 1,
        "submissions": str(data.submissions) if data.submissions else None,
        "students": data.students,
        "exercises": [{"id": e.id, "max_score": e.max_score, "stats": data.stats(e.id), "histogram": data.histogram(e.id)}
                      for e in data.exercises],
        "total": {"max_score": data.max_total, "stats": data.stats(), "histogram": data.histogram()},
        "grid": {s: {"total": data.totals[s], "max_score": data.max_totals[s],
                     **{e.id: {"score": c.score, "status": c.status} for e in data.exercises
                        if (c := data.cells.get((s, e.id))) is not None}} for s in data.students},
        "checks": [{"exercise": c.exercise, "check": c.check, "failed": len(c.failed), "attempts": c.attempts,
                    "idea": c.idea} for c in data.checks],
        "misconceptions": [{"exercise": m.exercise, "checks": list(m.checks), "failed": list(m.failed),
                            "attempts": m.attempts, "idea": m.idea} for m in data.misconceptions],
        "similar": [{"exercise": g.exercise, "kind": g.kind, "members": list(g.members)} for g in similar.groups],
        "health": {"timeouts": len(data.health.timeouts), "errors": len(data.health.errors),
                   "crashed_checks": len(data.health.crashed_checks), "not_graded": data.health.not_graded},
    }
