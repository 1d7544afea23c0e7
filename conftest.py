"""pytest wiring: which implementation the checks import, and the grading plugin.

    pytest checks/test_ex03_normalized_dataset.py --submission reference
    pytest checks/test_ex03_normalized_dataset.py --submission checks/mutants/ex03 ...

runs the checks in-process against that folder (the grader adds process isolation and
scoring on top). `pytest` alone runs the kit's own tests (`testpaths = ["tests"]`).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from grader.plugin import ALWAYS

pytest_plugins = ALWAYS


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("grade")
    group.addoption("--submission", default=None, metavar="DIR",
                    help="folder whose exNN_*.py files the checks import (default: exercises/)")
    group.addoption("--reference", action="store_true", help="shorthand for --submission reference")


def pytest_configure(config: pytest.Config) -> None:
    folder = "reference" if config.getoption("--reference") else config.getoption("--submission")
    if folder:
        path = Path(folder)
        if not path.is_absolute():
            path = Path(config.invocation_params.dir) / path
        os.environ["GRADE_SUBMISSION"] = str(path.resolve())
