"""The learner's progress, kept in `.grade/progress.json` beside the exercises.

Each exercise's last score is stored with a fingerprint of its checks (check module and
metadata), so an update of the kit that changes an exercise's checks marks it
"re-check" instead of showing a stale score. Hints shown are counted here too.
"""

from __future__ import annotations

import hashlib
import json
import os
import time
from pathlib import Path
from typing import Any

from grader.catalog import KIT_ROOT, Exercise


def state_dir() -> Path:
    return Path(os.environ.get("GRADE_STATE_DIR") or KIT_ROOT / ".grade")


def checks_fingerprint(ex: Exercise) -> str:
    digest = hashlib.sha256()
    for path in (ex.check_path, ex.meta_path):
        digest.update(path.read_bytes() if path.exists() else b"")
    return digest.hexdigest()[:16]


class Progress:
    def __init__(self, path: Path | None = None) -> None:
        self.path = path or state_dir() / "progress.json"
        try:
            self.data: dict[str, Any] = json.loads(self.path.read_text())
        except (OSError, ValueError):
            self.data = {}
        self.data.setdefault("exercises", {})

    def save(self) -> None:
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            tmp = self.path.with_suffix(".tmp")
            tmp.write_text(json.dumps(self.data, ensure_ascii=False, indent=1))
            os.replace(tmp, self.path)
        except OSError:
            pass  # a read-only checkout still grades; it just does not remember

    def _entry(self, ex: Exercise) -> dict[str, Any]:
        return self.data["exercises"].setdefault(ex.id, {})

    def record(self, ex: Exercise, score: float, max_score: float, passed: bool, source: str = "file") -> None:
        """The last grade of `ex`; `source` says what was graded: the exercise "file" or the
        definitions of a "notebook" (`check()`), which `grade list` names."""
        entry = self._entry(ex)
        fingerprint = checks_fingerprint(ex)
        entry.update(score=score, max_score=max_score, passed=passed, source=source,
                     checks=fingerprint, when=time.strftime("%Y-%m-%dT%H:%M:%S"))
        if passed:
            entry["passed_checks"] = fingerprint  # survives `grade reset`: solutions stay unlocked

    def status(self, ex: Exercise) -> tuple[str, dict[str, Any]]:
        """('new' | 'recheck' | 'passed' | 'partial' | 'unfixed', entry).

        A fix exercise (`kind = "fix"`) starts from buggy code that runs and scores a little:
        until it passes it is 'unfixed' ("not fixed yet"), graded or not, never 'new' ("not
        started") nor 'partial'; the entry still holds its last score when there is one."""
        entry = self.data["exercises"].get(ex.id, {})
        graded = "score" in entry
        if graded and entry.get("checks") != checks_fingerprint(ex):
            return "recheck", entry
        if graded and entry.get("passed"):
            return "passed", entry
        if ex.is_fix:
            return "unfixed", entry
        return ("partial" if graded else "new"), entry

    def passed(self, ex: Exercise) -> bool:
        return self.status(ex)[0] == "passed"

    def ever_passed(self, ex: Exercise) -> bool:
        """Passed at some point with the current checks (even if reset or broken since)."""
        entry = self.data["exercises"].get(ex.id, {})
        return self.passed(ex) or entry.get("passed_checks") == checks_fingerprint(ex)

    def first_unfinished(self, exercises: list[Exercise], after: Exercise | None = None,
                         also_passed: set[str] | frozenset[str] = frozenset()) -> Exercise | None:
        """The first exercise (after `after`, if given) not passed with its current checks."""
        ordered = exercises
        if after is not None:
            ordered = [e for e in exercises if e.number > after.number] + \
                      [e for e in exercises if e.number <= after.number]
        for ex in ordered:
            if ex.id not in also_passed and not self.passed(ex):
                return ex
        return None

    def forget_score(self, ex: Exercise) -> None:
        """After `grade reset`: the last score no longer describes the file (hints stay counted)."""
        entry = self._entry(ex)
        for key in ("score", "max_score", "passed", "checks", "when"):
            entry.pop(key, None)

    def hints_shown(self, ex: Exercise) -> int:
        return int(self.data["exercises"].get(ex.id, {}).get("hints_shown", 0))

    def next_hint(self, ex: Exercise) -> int:
        """Index of the hint to show now (one more each call, then the last again)."""
        entry = self._entry(ex)
        shown = int(entry.get("hints_shown", 0))
        entry["hints_shown"] = min(shown + 1, len(ex.hints))
        return min(shown, len(ex.hints) - 1)
