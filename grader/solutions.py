"""Going back and looking ahead: `grade reset`, `grade solution`, `grade diff`.

Where the pristine stub comes from
----------------------------------
`exercises/` is the learner's working copy, so the untouched stub has to come from
somewhere else. The kit keeps no second copy in the repository (two copies drift apart);
instead, in this order:

1. **A snapshot the grader takes itself**, in `.grade/pristine/` (beside the progress
   file, ignored by git). Whenever a grader command runs (`grade`, `grade list`, `watch`,
   ...), each exercise file that is provably pristine is copied there once:
   - in a git checkout, "provably pristine" means byte-identical to the file committed at
     `HEAD` (compared by git blob id, one `git ls-tree` for all files);
   - outside git (a zip download) or for a file git does not track yet, the file as first
     seen by the grader.
   The snapshot is recorded with the fingerprint of the exercise's checks and is not
   replaced while those checks stay the same, so a learner who commits their own work
   still gets the original back. When a kit update changes an exercise's checks, a new
   snapshot is taken as soon as the file is again pristine by the rule above.
2. **git**: without a snapshot (the file was edited before the grader ever ran) or with a
   snapshot older than the current checks, the version committed at `HEAD`.

If neither exists, `reset` says so and changes nothing. The learner's version is never
lost: it is copied to `.grade/backups/<stem>-<time>.py` before the stub is written back.

Reference solutions (`grade solution` / `grade diff`) are offered once the exercise has
passed (recorded in the progress file); `--force` shows them earlier, with a word on why
trying first pays off.
"""

from __future__ import annotations

import ast
import difflib
import hashlib
import json
import os
import shutil
import subprocess
import time
from pathlib import Path

from grader.catalog import KIT_ROOT, Exercise
from grader.i18n import T
from grader.progress import Progress, checks_fingerprint, state_dir

MSG = {
    "no_pristine": T(
        ja="{file} の元のスタブが見つかりません（.grade/pristine/ にも git にもありません）。"
           "キットを配布元から取り直し、exercises/{file} だけを差し替えてください。",
        en="the original stub of {file} is not available (neither in .grade/pristine/ nor in git). "
           "Fetch the kit again and copy exercises/{file} from it."),
    "locked": T(
        ja="{id} はまだ合格していません。解答例はまず自分で合格してから見ると、ずっと身につきます。\n"
           "  行き詰まったら: grade hint {id}（ヒントを 1 つずつ）\n"
           "  それでも見るなら: grade {cmd} {id} --force",
        en="{id} has not passed yet. Solutions teach far more after you have passed on your own.\n"
           "  Stuck? grade hint {id} (one hint at a time)\n"
           "  To look anyway: grade {cmd} {id} --force"),
    "forced": T(
        ja="（注意）合格前に解答例を見ています。読んだら一度閉じて、見ずに自分で書き直してみてください — "
           "思い出しながら書くことが一番の練習になります。",
        en="(note) You are looking before passing. After reading, close it and rewrite the code without "
           "looking — recalling it yourself is what makes it stick."),
    "no_reference": T(ja="{id} には解答例がありません", en="{id} has no reference solution"),
    "same": T(ja="あなたの解答は解答例と一字一句同じです", en="your file is identical to the reference"),
    "missing_file": T(ja="{path} がありません", en="{path} does not exist"),
}


class NoPristineStub(LookupError):
    """Neither a snapshot nor git has the original stub."""


# ---------------------------------------------------------------------------- git


def git_blob_id(data: bytes) -> str:
    """The id git gives a file's content (`git hash-object`), computed without git."""
    return hashlib.sha1(b"blob %d\0" % len(data) + data).hexdigest()


def _git(root: Path, *args: str) -> bytes | None:
    try:
        proc = subprocess.run(["git", "-C", str(root), *args], capture_output=True, timeout=15,
                              env={**os.environ, "GIT_OPTIONAL_LOCKS": "0"})
    except (OSError, subprocess.SubprocessError):
        return None
    return proc.stdout if proc.returncode == 0 else None


def head_blobs(root: Path = KIT_ROOT) -> dict[str, str] | None:
    """{file name: blob id} of `exercises/` at HEAD; None when `root` is not a git checkout."""
    out = _git(root, "ls-tree", "-z", "HEAD", "--", "exercises/")
    if out is None:
        return None
    blobs: dict[str, str] = {}
    for entry in out.split(b"\0"):
        if not entry:
            continue
        meta, _, path = entry.partition(b"\t")
        parts = meta.split()
        if len(parts) == 3 and parts[1] == b"blob":
            blobs[Path(path.decode("utf-8", "replace")).name] = parts[2].decode()
    return blobs


def _git_blob(root: Path, blob: str) -> bytes | None:
    return _git(root, "cat-file", "blob", blob)


# ---------------------------------------------------------------------- snapshots


def _pristine_dir() -> Path:
    return state_dir() / "pristine"


def _index() -> dict[str, dict[str, str]]:
    try:
        return json.loads((_pristine_dir() / "index.json").read_text())
    except (OSError, ValueError):
        return {}


def _write_index(index: dict[str, dict[str, str]]) -> None:
    path = _pristine_dir() / "index.json"
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(index, indent=1))
    os.replace(tmp, path)


def remember_stubs(exercises: list[Exercise], root: Path = KIT_ROOT) -> None:
    """Snapshot each exercise file that is provably pristine and has no current snapshot.

    Cheap (one git call, a hash per file): every grader command calls it."""
    heads = head_blobs(root)
    index = _index()
    changed = False
    for ex in exercises:
        path = ex.stub_path
        try:
            data = path.read_bytes()
        except OSError:
            continue
        record = index.get(ex.filename)
        fingerprint = checks_fingerprint(ex)
        head = heads.get(ex.filename) if heads else None
        if record and record.get("checks") == fingerprint:
            continue  # have it already (the learner may since have committed their own work)
        if head is not None and git_blob_id(data) != head:
            continue  # tracked and edited: not pristine
        try:
            _pristine_dir().mkdir(parents=True, exist_ok=True)
            (_pristine_dir() / ex.filename).write_bytes(data)
        except OSError:
            return  # a read-only state folder: reset will fall back to git
        index[ex.filename] = {"blob": git_blob_id(data), "checks": fingerprint,
                              "when": time.strftime("%Y-%m-%dT%H:%M:%S")}
        changed = True
    if changed:
        try:
            _write_index(index)
        except OSError:
            pass


def pristine_stub(ex: Exercise, root: Path = KIT_ROOT) -> tuple[bytes, str]:
    """The original stub's bytes and where they came from ("snapshot" or "git HEAD")."""
    record = _index().get(ex.filename)
    snapshot = _pristine_dir() / ex.filename
    current = record is not None and record.get("checks") == checks_fingerprint(ex)
    if record and current and snapshot.is_file():
        return snapshot.read_bytes(), "snapshot"
    heads = head_blobs(root)
    if heads and ex.filename in heads:
        data = _git_blob(root, heads[ex.filename])
        if data is not None:
            return data, "git HEAD"
    if record and snapshot.is_file():
        return snapshot.read_bytes(), "snapshot"  # older checks, but better than nothing
    raise NoPristineStub(ex.filename)


# ------------------------------------------------------------------------ reset


def backup_dir() -> Path:
    return state_dir() / "backups"


def reset(ex: Exercise, folder: Path, root: Path = KIT_ROOT) -> tuple[Path, Path | None, str]:
    """Write the pristine stub to `folder/<file>`; returns (file, backup or None, source).

    The learner's version is copied to `.grade/backups/` first (when it differs)."""
    data, source = pristine_stub(ex, root)
    target = folder / ex.filename
    backup: Path | None = None
    if target.is_file() and target.read_bytes() != data:
        backup_dir().mkdir(parents=True, exist_ok=True)
        stamp = time.strftime("%Y%m%d-%H%M%S")
        backup = backup_dir() / f"{ex.stem}-{stamp}.py"
        n = 1
        while backup.exists():
            n += 1
            backup = backup_dir() / f"{ex.stem}-{stamp}-{n}.py"
        shutil.copy2(target, backup)
    folder.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f".{target.name}.grade-tmp")
    tmp.write_bytes(data)
    os.replace(tmp, target)
    return target, backup, source


# ------------------------------------------------------------ solution and diff


def unlocked(ex: Exercise, progress: Progress | None = None) -> bool:
    """Solutions are offered once the exercise has passed (with its current checks)."""
    return (progress or Progress()).ever_passed(ex)


def solution_text(ex: Exercise) -> str:
    return ex.reference_path.read_text(encoding="utf-8")


def _code(text: str) -> list[str]:
    """The file's lines without its module docstring (the task statement in a stub, a note
    in the reference): a diff compares the code. A file that does not parse stays whole."""
    lines = text.splitlines(keepends=True)
    try:
        body = ast.parse(text).body
    except (SyntaxError, ValueError):
        return lines
    if body and isinstance(body[0], ast.Expr) and isinstance(getattr(body[0], "value", None), ast.Constant) \
            and isinstance(body[0].value.value, str):
        rest = lines[body[0].end_lineno or 0:]
        return rest[1:] if rest and not rest[0].strip() else rest
    return lines


def diff_text(ex: Exercise, folder: Path) -> str:
    """Unified diff from the learner's code to the reference's, docstrings left out ('' when identical)."""
    mine_path = folder / ex.filename
    mine = _code(mine_path.read_text(encoding="utf-8", errors="replace")) if mine_path.is_file() else []
    ref = _code(solution_text(ex))
    try:
        label = str(mine_path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        label = str(mine_path)
    lines = difflib.unified_diff(mine, ref, fromfile=label, tofile=f"reference/{ex.filename}")
    return "".join(line if line.endswith("\n") else line + "\n" for line in lines)
