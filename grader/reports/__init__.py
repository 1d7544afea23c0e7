"""Report formats, all built from the same `Report` data. Each module exposes
`render(report, lang, verbose) -> str`; `FORMATS` maps the `--format` names to them."""

from __future__ import annotations

from typing import Callable

from grader.i18n import Lang
from grader.results import Report

Renderer = Callable[[Report, Lang, bool], str]


def get(name: str) -> Renderer:
    from importlib import import_module

    module = import_module(f"grader.reports.{FORMATS[name]}")
    return module.render  # type: ignore[no-any-return]


FORMATS = {"text": "text", "json": "json_report", "gradescope": "gradescope", "junit": "junit", "markdown": "markdown"}
