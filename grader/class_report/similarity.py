"""Identical and near-identical submissions, exercise by exercise: a hint for the instructor.

    groups = find_similar(data)         # runs `python -m grader.class_report.similarity` once

The fingerprints are copydetect's (a maintained implementation of MOSS's winnowing,
Schleimer, Wilkerson and Aiken 2003): the code is tokenised with pygments, names become
V/F/O, strings S, comments and layout go, then k-grams are hashed and winnowed. The
untouched stub's fingerprints are boilerplate (code every student was given is no match),
and files with fewer than MIN_TOKENS fingerprinted tokens are not compared (a four-line
answer has few ways to be right).

- identical: the same normalised code (renamed variables, other comments, other layout);
- near-identical: each file's fingerprinted tokens overlap the other's by at least THRESHOLD.

copydetect hashes k-grams with Python's `hash()`, which is salted per process; the
comparison therefore runs in a child process with PYTHONHASHSEED=0, so the same class
gives the same report every time.
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

K = 25  # copydetect's default noise threshold: matches shorter than this are ignored
WINDOW = 6  # guarantee threshold 30: any match of 30+ tokens is found
THRESHOLD = 0.8
MIN_TOKENS = 60
MAX_PAIRS_SHOWN = 5


@dataclass(frozen=True)
class Pair:
    a: str
    b: str
    similarity: tuple[float, float]  # share of a's tokens found in b, and of b's in a
    left_html: str  # a's code, HTML-escaped, the overlap in <mark>
    right_html: str


@dataclass(frozen=True)
class Group:
    exercise: str
    kind: str  # identical | near
    members: tuple[str, ...]
    pairs: tuple[Pair, ...]

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> "Group":
        if d["kind"] not in ("identical", "near"):
            raise ValueError(f"group kind {d['kind']!r}")
        pairs = tuple(Pair(p["a"], p["b"], (float(p["similarity"][0]), float(p["similarity"][1])),
                           p["left_html"], p["right_html"]) for p in d["pairs"])
        return cls(d["exercise"], d["kind"], tuple(d["members"]), pairs)


@dataclass(frozen=True)
class Similarity:
    groups: tuple[Group, ...]
    compared: dict[str, int]  # exercise -> files compared
    too_short: dict[str, int]  # exercise -> files too short to compare
    unavailable: str = ""  # why nothing was compared (no submissions folder, no copydetect)


def find_similar(data: Any) -> Similarity:
    """Compare every attempted file (not missing, not the stub) of each exercise."""
    if data.submissions is None or not Path(data.submissions).is_dir():
        return Similarity((), {}, {}, unavailable="submissions")
    job = {"exercises": []}
    for info in data.exercises:
        files = {c.student: str(Path(data.submissions) / c.student / info.filename)
                 for c in data.column(info.id) if c.status not in ("missing", "stub", "unfixed") and info.filename}
        files = {s: p for s, p in files.items() if Path(p).is_file()}
        stub = str(_stub_path(info.id))
        job["exercises"].append({"id": info.id, "stub": stub, "files": files})
    env = {**os.environ, "PYTHONHASHSEED": "0"}
    proc = subprocess.run([sys.executable, "-m", "grader.class_report.similarity"], input=json.dumps(job),
                          capture_output=True, text=True, env=env, timeout=600)
    if proc.returncode != 0:
        return Similarity((), {}, {}, unavailable=(proc.stderr.strip().splitlines() or ["?"])[-1])
    result = json.loads(proc.stdout)
    return Similarity(tuple(Group.from_dict(g) for g in result["groups"]), result["compared"], result["too_short"])


def _stub_path(ex_id: str) -> Path:
    from grader import catalog

    try:
        return catalog.resolve(ex_id).stub_path
    except catalog.UnknownExercise:
        return Path("/nonexistent")


# -- the child process (PYTHONHASHSEED=0) ---------------------------------------------------
def compare_exercise(ex_id: str, stub: str, files: dict[str, str]) -> tuple[list[dict[str, Any]], int, int]:
    """(groups, files compared, files too short) for one exercise."""
    from copydetect import CodeFingerprint, compare_files

    import numpy as np

    boilerplate = []  # every k-gram of the stub, as copydetect's own detector takes boilerplate
    if Path(stub).is_file():
        boilerplate = np.unique(np.array(sorted(CodeFingerprint(stub, K, 1, language="python").hashes)))
    prints = {}
    short = 0
    for student, path in sorted(files.items()):
        try:
            fp = CodeFingerprint(path, K, WINDOW, boilerplate=boilerplate, language="python")
        except (UnicodeDecodeError, OSError, ValueError):
            fp = None  # not text: nothing to compare
        if fp is None or fp.token_coverage < MIN_TOKENS:
            short += 1
            continue
        prints[student] = fp
    names = sorted(prints)
    edges: dict[tuple[str, str], tuple[float, float, Any]] = {}
    for i, a in enumerate(names):
        for b in names[i + 1:]:
            _, sims, slices = compare_files(prints[a], prints[b])
            if min(sims) >= THRESHOLD:
                edges[(a, b)] = (float(sims[0]), float(sims[1]), slices)
    groups = [_group(ex_id, members, prints, edges) for members in _components(names, edges)]
    return groups, len(prints), short


def _group(ex_id: str, members: list[str], prints: dict[str, Any], edges: dict) -> dict[str, Any]:
    from copydetect.utils import highlight_overlap

    same = len({hashlib.sha256(prints[m].filtered_code.encode()).hexdigest() for m in members}) == 1
    pairs = []
    for (a, b), (s1, s2, slices) in sorted(edges.items(), key=lambda kv: (-min(kv[1][:2]), kv[0])):
        if a in members and b in members and len(pairs) < MAX_PAIRS_SHOWN:
            left, _ = highlight_overlap(prints[a].raw_code, slices[0], "<mark>", "</mark>", escape_html=True)
            right, _ = highlight_overlap(prints[b].raw_code, slices[1], "<mark>", "</mark>", escape_html=True)
            pairs.append({"a": a, "b": b, "similarity": [round(s1, 3), round(s2, 3)],
                          "left_html": left, "right_html": right})
    return {"exercise": ex_id, "kind": "identical" if same else "near", "members": members, "pairs": pairs}


def _components(names: list[str], edges: dict[tuple[str, str], Any]) -> list[list[str]]:
    parent = {n: n for n in names}

    def root(n: str) -> str:
        while parent[n] != n:
            parent[n] = parent[parent[n]]
            n = parent[n]
        return n

    for a, b in edges:
        parent[root(b)] = root(a)
    groups: dict[str, list[str]] = {}
    for n in names:
        groups.setdefault(root(n), []).append(n)
    return sorted((g for g in groups.values() if len(g) > 1), key=lambda g: (-len(g), g))


def main() -> None:
    import logging

    logging.disable(logging.WARNING)  # copydetect logs files it cannot tokenise
    job = json.loads(sys.stdin.read())
    out: dict[str, Any] = {"groups": [], "compared": {}, "too_short": {}}
    for ex in job["exercises"]:
        groups, compared, short = compare_exercise(ex["id"], ex["stub"], ex["files"])
        out["groups"] += groups
        out["compared"][ex["id"]], out["too_short"][ex["id"]] = compared, short
    sys.stdout.write(json.dumps(out))


if __name__ == "__main__":
    main()
