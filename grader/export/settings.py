"""One assignment's autograder settings: chosen by `grade export gradescope`, stored in the
bundle as `autograder.json`, read back inside Gradescope's container. Typed and checked
when read, so a hand-edited bundle fails with the field named, never half-way through a
student's grading.

    >>> s = AutograderSettings(exercises=("ex1", "ex6"), lang="ja", hide=("ex6:*worked*",))
    >>> AutograderSettings.from_dict(s.to_dict()) == s
    True
    >>> s.visibility_of("ex6", "worked_example")
    'after_due_date'
"""

from __future__ import annotations

import fnmatch
import json
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

SETTINGS_FILE = "autograder.json"
SCHEMA = 1
VISIBILITIES = ("visible", "after_due_date", "after_published", "hidden")  # Gradescope's words
VIEWS = ("per-check", "per-exercise")
HIDDEN_VISIBILITY = "after_due_date"


class SettingsError(ValueError):
    """A setting the autograder cannot use; names the field."""

    def __init__(self, field_name: str, problem: str):
        super().__init__(f"{SETTINGS_FILE}: [{field_name}] {problem}")
        self.field = field_name


@dataclass(frozen=True)
class AutograderSettings:
    exercises: tuple[str, ...]  # exercise ids ("ex3"), in grading order
    lang: str = "en"
    visibility: str = "visible"  # every test's visibility, unless hidden below
    hide: tuple[str, ...] = ()  # "ex3" or "ex3:check_glob": these tests are after_due_date
    view: str = "per-check"  # one Gradescope test per check, or per exercise
    timeout: float | None = None  # per exercise, seconds (None: the grader's default)
    solutions: bool = False  # the bundle ships reference/ (informative)

    def __post_init__(self) -> None:
        if not self.exercises or not all(isinstance(e, str) and e.startswith("ex") for e in self.exercises):
            raise SettingsError("exercises", f"is {self.exercises!r}; a non-empty list of ids like 'ex3'")
        if self.lang not in ("ja", "en"):
            raise SettingsError("lang", f"is {self.lang!r}; ja or en")
        if self.visibility not in VISIBILITIES:
            raise SettingsError("visibility", f"is {self.visibility!r}; one of {', '.join(VISIBILITIES)}")
        if self.view not in VIEWS:
            raise SettingsError("view", f"is {self.view!r}; one of {', '.join(VIEWS)}")
        if self.timeout is not None and not (isinstance(self.timeout, (int, float)) and self.timeout > 0):
            raise SettingsError("timeout", f"is {self.timeout!r}; seconds above 0, or null")
        for pattern in self.hide:
            exercise, _, check = pattern.partition(":")
            if exercise not in self.exercises:
                raise SettingsError("hide", f"{pattern!r} names no exercise of this assignment")
            if check and self.view == "per-exercise":
                raise SettingsError("hide", f"{pattern!r}: the per-exercise view hides whole exercises (give {exercise!r})")

    def visibility_of(self, exercise: str, check: str = "") -> str:
        """A test's visibility: `after_due_date` where a --hide pattern matches it."""
        for pattern in self.hide:
            ex, _, glob = pattern.partition(":")
            if ex == exercise and (not glob or fnmatch.fnmatchcase(check, glob)):
                return HIDDEN_VISIBILITY
        return self.visibility

    def to_dict(self) -> dict[str, Any]:
        return {"schema": SCHEMA, **asdict(self), "exercises": list(self.exercises), "hide": list(self.hide)}

    @classmethod
    def from_dict(cls, raw: dict[str, Any]) -> "AutograderSettings":
        if raw.get("schema") != SCHEMA:
            raise SettingsError("schema", f"is {raw.get('schema')!r}; this kit reads {SCHEMA}")
        unknown = sorted(set(raw) - {"schema", *cls.__dataclass_fields__})
        if unknown:
            raise SettingsError(unknown[0], "is not a setting")
        fields = {k: v for k, v in raw.items() if k != "schema"}
        for name in ("exercises", "hide"):
            if name in fields:
                if not isinstance(fields[name], list):
                    raise SettingsError(name, "must be a list")
                fields[name] = tuple(fields[name])
        return cls(**fields)

    @classmethod
    def load(cls, path: Path) -> "AutograderSettings":
        try:
            raw = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise SettingsError("file", f"cannot be read: {exc}") from None
        if not isinstance(raw, dict):
            raise SettingsError("file", "must hold a JSON object")
        return cls.from_dict(raw)
