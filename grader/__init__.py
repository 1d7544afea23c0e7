"""dl-exercise-kit's grader. In a notebook: `from grader import check; check("ex3")`."""

from __future__ import annotations

from typing import Any

__all__ = ["check"]


def check(exercise: str, **kwargs: Any) -> Any:
    """Grade an exercise from a notebook or a Python session (see `grader.notebook.check`).

    Imported lazily: `import grader` stays as light as `grade list` needs."""
    from grader.notebook import check as _check

    return _check(exercise, **kwargs)
