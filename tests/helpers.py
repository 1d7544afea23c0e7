"""Shared helpers for the kit's own tests: run the real `grade` command, make submissions."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

KIT = Path(__file__).resolve().parent.parent
GRADE = [sys.executable, "-m", "grader.cli"]


def run_grade(*args: str, env: dict[str, str] | None = None, timeout: float = 600,
              cwd: Path | None = None) -> subprocess.CompletedProcess:
    full_env = {**os.environ, "GRADE_LANG": "en", "NO_COLOR": "1", **(env or {})}
    return subprocess.run([*GRADE, *args], cwd=cwd or KIT, env=full_env, capture_output=True,
                          text=True, timeout=timeout)


def grade_json(*args: str, env: dict[str, str] | None = None, timeout: float = 600) -> tuple[int, dict[str, Any]]:
    proc = run_grade(*args, "--format", "json", env=env, timeout=timeout)
    assert proc.returncode in (0, 1), f"grade failed ({proc.returncode}):\n{proc.stdout}\n{proc.stderr}"
    return proc.returncode, json.loads(proc.stdout)


def submission(tmp: Path, stem: str, source: str | Path) -> Path:
    """A submission folder holding one exercise file, from text or from a file to copy."""
    tmp.mkdir(parents=True, exist_ok=True)
    target = tmp / f"{stem}.py"
    if isinstance(source, Path):
        shutil.copy2(source, target)
    else:
        target.write_text(source, encoding="utf-8")
    return tmp


def strip_timings(report: dict[str, Any]) -> dict[str, Any]:
    report = json.loads(json.dumps(report))
    for ex in report["exercises"]:
        ex.pop("duration_s", None)
    return report


def alive(pid: int) -> bool:
    """Whether process `pid` still runs (a zombie, dead but not yet reaped, does not)."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as f:
            return f.read().rsplit(b")", 1)[1].split()[0] not in (b"Z", b"X")
    except OSError:
        return False
