"""`--format markdown`: a report for a CI job summary ($GITHUB_STEP_SUMMARY) or a pull request.

A table of exercises with their scores, then, per exercise that lost points, the checks
that failed with their feedback (folded in `<details>`, so a long report stays readable).
"""

from __future__ import annotations

from grader.i18n import Lang, T
from grader.results import ExerciseResult, Report, full_message

UI = {
    "title": T(ja="採点結果", en="Grading report"),
    "exercise": T(ja="課題", en="Exercise"),
    "status": T(ja="状態", en="Status"),
    "score": T(ja="得点", en="Score"),
    "total": T(ja="合計", en="Total"),
    "passed": T(ja="✅ 合格", en="✅ passed"),
    "failed": T(ja="❌ 不合格", en="❌ failed"),
    "unfixed": T(ja="🔧 未修正", en="🔧 not fixed yet"),
    "missing": T(ja="⬜ ファイルなし", en="⬜ missing"),
    "error": T(ja="💥 エラー", en="💥 error"),
    "timeout": T(ja="⏱ 時間切れ", en="⏱ timed out"),
    "skipped": T(ja="スキップ", en="skipped"),
    "output": T(ja="あなたのコードの出力", en="output of your code"),
}
_MARK = {"passed": "✅", "failed": "❌", "error": "💥", "skipped": "⏭"}


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _status(ex: ExerciseResult) -> str:
    if ex.passed:
        return "passed"
    return ex.status if ex.status != "graded" else "unfixed" if ex.fix else "failed"


def _fence(text: str) -> str:
    fence = "```"
    while fence in text:
        fence += "`"
    return f"{fence}\n{text}\n{fence}"


def render(report: Report, lang: Lang, verbose: bool = False) -> str:
    lines = [f"## {UI['title'].render(lang)} — {report.score:g}/{report.max_score:g}", ""]
    lines.append(f"| {UI['exercise'].render(lang)} | {UI['status'].render(lang)} | {UI['score'].render(lang)} |")
    lines.append("|---|---|---:|")
    for ex in report.exercises:
        lines.append(f"| {_cell(ex.id + ' ' + ex.title.render(lang))} | {UI[_status(ex)].render(lang)} "
                     f"| {ex.score:g}/{ex.max_score:g} |")
    lines.append(f"| **{UI['total'].render(lang)}** | | **{report.score:g}/{report.max_score:g}** |")
    for ex in report.exercises:
        lost = [c for c in ex.checks if c.status in ("failed", "error")]
        if not lost and ex.message is None:
            continue
        lines += ["", f"<details><summary>{_MARK.get('error' if ex.status == 'error' else 'failed')} "
                      f"{ex.id}: {ex.score:g}/{ex.max_score:g}</summary>", ""]
        if ex.message is not None:
            lines += [_fence(ex.message.render(lang)), ""]
        for c in lost:
            if ex.message is not None and ex.status in ("missing", "error") and c.status == "failed":
                continue  # the exercise's message says it for every check
            lines.append(f"- {_MARK[c.status]} `{c.name}` ({c.points:g}/{c.counted_max:g})")
            message = full_message(c, lang)
            if message:
                lines += ["", _indent(_fence(message)), ""]
            if verbose and c.output.strip():
                lines += [f"  {UI['output'].render(lang)}:", "", _indent(_fence(c.output.rstrip()[:2000])), ""]
        lines += ["</details>"]
    return "\n".join(lines) + "\n"


def _indent(text: str) -> str:
    return "\n".join("  " + line for line in text.splitlines())
