"""`--format json`: the stable report other tools read (schema in docs/report-schema.json)."""

from __future__ import annotations

import json

from grader.i18n import Lang
from grader.results import Report


def render(report: Report, lang: Lang, verbose: bool = False) -> str:
    return json.dumps(report.to_json(lang), ensure_ascii=False, indent=2)
