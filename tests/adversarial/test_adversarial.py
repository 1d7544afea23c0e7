"""The kit's adversarial suite: submissions that attack the grader get their honest score.

Each file in `tests/adversarial/exNN/` is a complete exercise file that attacks the grader
(exit early, hang, fork, flood, monkeypatch, forge output or files, write the kit, ...).
Its header says what it tries and what it must get:

    # Attack: <what it tries>
    # Expect: 0 | <points> | clean | at most clean
    # Fails: <check>, ...        (optional: checks that must not pass)

`clean` is the score of the same file with its `# --- attack ---` ... `# --- end attack ---`
blocks removed (the honest partial score of its answers), graded alongside. For every
attack the suite also asserts: the maximum is the full one (no check dodged as a skip), a
report came back within the limits, the kit's files are unchanged, and no process
started by the submission is left. The attacks are bounded (memory, processes, time) so
that a broken defence cannot take the machine down.

One warm worker pair grades all the attacks on an exercise (ex1 needs no framework and
grades in about a second; ex6 is graded on a subset of its checks), once with the
kernel's namespaces where available and again, for the attacks where the two differ,
with the portable defences only (`sandbox="off"`), since CI containers often lack them.
"""

from __future__ import annotations

import ast
import hashlib
import os
import re
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from helpers import alive

from grader import catalog
from grader.results import ExerciseResult
from grader.isolation.host import GradeOptions, Job, grade

HERE = Path(__file__).resolve().parent
KIT = catalog.KIT_ROOT
MARK = "tampered by an attack"
TIMEOUT = 60.0  # per exercise
CHECK_TIMEOUT = 10.0
SUBSETS = {  # fewer checks where an exercise is slow to grade: the attacks are what is tested
    "ex6": "selects_last_valid_token or worked_example or out_of_range or dtype_preserved or inputs_not_modified",
}
PORTABLE = ("kit_writer", "kill_ancestors", "daemon", "fork_bomb", "spawn_shell", "heap_snooping", "forged_results")
# the files the kit_writer attack goes for: byte-identical afterwards. Any other file that
# changed during the run (someone editing the kit meanwhile) must not carry an attack's mark.
WATCHED_FILES = ("checks/test_ex01_true_or_false.py", "reference/ex01_true_or_false.py",
                 "grader/reports/json_report.py")


@dataclass
class Attack:
    name: str
    exercise: catalog.Exercise
    path: Path
    expect: str
    fails: list[str] = field(default_factory=list)
    extra_files: dict[str, str] = field(default_factory=dict)

    @property
    def id(self) -> str:
        return f"{self.exercise.id}-{self.name}"


def _header(source: str, key: str) -> str | None:
    m = re.search(rf"^# {key}: (.+)$", source, re.M)
    return m.group(1).strip() if m else None


def _extra_files(source: str) -> dict[str, str]:
    """EXTRA_FILES = {...} read without running the attack."""
    for node in ast.parse(source).body:
        if isinstance(node, ast.Assign) and getattr(node.targets[0], "id", "") == "EXTRA_FILES":
            return dict(ast.literal_eval(node.value))
    return {}


def load_attacks() -> list[Attack]:
    found = []
    for folder in sorted(p for p in HERE.glob("ex*") if p.is_dir()):
        ex = catalog.resolve(folder.name)
        for path in sorted(folder.glob("*.py")):
            source = path.read_text(encoding="utf-8")
            expect = _header(source, "Expect")
            assert _header(source, "Attack") and expect, f"{path}: needs '# Attack:' and '# Expect:' lines"
            fails = [f.strip() for f in (_header(source, "Fails") or "").split(",") if f.strip()]
            found.append(Attack(path.stem, ex, path, expect, fails, _extra_files(source)))
    return found


def strip_attack(source: str) -> str:
    """The same file without its attack blocks: the honest twin."""
    out, skipping = [], False
    for line in source.splitlines():
        if line.strip() == "# --- attack ---":
            skipping = True
            indent = line[: len(line) - len(line.lstrip())]
            if indent:
                out.append(f"{indent}pass")
            continue
        if line.strip() == "# --- end attack ---":
            skipping = False
            continue
        if not skipping:
            out.append(line)
    return "\n".join(out) + "\n"


ATTACKS = load_attacks()


def _digest(paths: list[Path]) -> dict[str, str]:
    out = {}
    for root in paths:
        for p in sorted(root.rglob("*")) if root.is_dir() else [root]:
            if p.is_file() and "__pycache__" not in p.parts:
                out[str(p.relative_to(KIT))] = hashlib.sha256(p.read_bytes()).hexdigest()
    return out


def _processes_mentioning(text: str) -> list[int]:
    """Live (non-zombie) processes whose environment or command line mentions `text`."""
    found = []
    needle = text.encode()
    for entry in os.listdir("/proc"):
        if not entry.isdigit() or int(entry) == os.getpid():
            continue
        try:
            with open(f"/proc/{entry}/stat", "rb") as f:
                state = f.read().rsplit(b")", 1)[1].split()[0]
            if state in (b"Z", b"X"):
                continue
            blob = b""
            for name in ("environ", "cmdline"):
                with open(f"/proc/{entry}/{name}", "rb") as f:
                    blob += f.read()
        except (OSError, IndexError):
            continue
        if needle in blob:
            found.append(int(entry))
    return found



@dataclass
class Run:
    root: Path
    results: dict[str, ExerciseResult]  # by attack id, and "<attack id>:clean", "<exercise id>:reference"
    portable: dict[str, ExerciseResult]
    wall_s: dict[str, float]
    modes: set[str]
    before: dict[str, str]
    after: dict[str, str]
    leftovers: list[int]
    daemon_pids: list[int]


def _folder(root: Path, name: str, ex: catalog.Exercise, source: str, extra: dict[str, str]) -> Path:
    folder = root / name
    folder.mkdir(parents=True)
    (folder / ex.filename).write_text(source, encoding="utf-8")
    for rel, text in extra.items():
        (folder / rel).write_text(text, encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory) -> Run:
    root = tmp_path_factory.mktemp("adversarial")
    pid_file = root / "daemon-pids"
    os.environ["ADV_PIDS_FILE"] = str(pid_file)  # where the daemon attack confesses its pids
    watched = [KIT / "checks", KIT / "reference", KIT / "grader"]
    before = _digest(watched)
    results: dict[str, ExerciseResult] = {}
    portable: dict[str, ExerciseResult] = {}
    wall: dict[str, float] = {}
    modes: set[str] = set()
    try:
        for ex in sorted({a.exercise for a in ATTACKS}, key=lambda e: e.number):
            attacks = [a for a in ATTACKS if a.exercise == ex]
            labelled: list[tuple[str, Job]] = [(f"{ex.id}:reference", Job(ex, ex.reference_path.parent))]
            for a in attacks:
                source = a.path.read_text(encoding="utf-8")
                labelled.append((a.id, Job(ex, _folder(root / "attacks", a.id, ex, source, a.extra_files))))
                if "clean" in a.expect:
                    twin = _folder(root / "clean", a.id, ex, strip_attack(source), a.extra_files)
                    labelled.append((f"{a.id}:clean", Job(ex, twin)))
            opts = GradeOptions(submission=root, timeout=TIMEOUT, check_timeout=CHECK_TIMEOUT, memory_mb=512,
                                output_limit_mb=16, select=SUBSETS.get(ex.id))
            start = time.monotonic()
            graded = grade([j for _, j in labelled], opts, workers=2, on_ready=lambda info: modes.add(info.mode))
            wall[ex.id] = time.monotonic() - start
            results.update({label: r for (label, _), r in zip(labelled, graded)})
            port = [a for a in attacks if a.name in PORTABLE]
            if port:
                jobs = [Job(ex, _folder(root / "portable", a.id, ex, a.path.read_text(encoding="utf-8"), a.extra_files))
                        for a in port]
                off = GradeOptions(**{**opts.__dict__, "sandbox": "off"})
                portable.update({a.id: r for a, r in zip(port, grade(jobs, off, workers=1))})
    finally:
        os.environ.pop("ADV_PIDS_FILE", None)
    time.sleep(0.2)
    leftovers = _processes_mentioning(str(root))
    daemon_pids = [int(x) for x in pid_file.read_text().split()] if pid_file.exists() else []
    return Run(root, results, portable, wall, modes, before, _digest(watched), leftovers, daemon_pids)


def _expected(attack: Attack, run: Run) -> tuple[str, float]:
    if attack.expect.startswith("at most clean"):
        return "<=", run.results[f"{attack.id}:clean"].score
    if attack.expect == "clean":
        return "==", run.results[f"{attack.id}:clean"].score
    return "==", float(attack.expect)


def _describe(r: ExerciseResult) -> str:
    lines = [f"{r.score:g}/{r.max_score:g} {r.status} {r.message.en if r.message else ''}"]
    lines += [f"  {c.name}: {c.status} {(c.message.en if c.message else '')[:200]}" for c in r.checks]
    return "\n".join(lines)


def test_there_are_enough_attacks() -> None:
    assert len(ATTACKS) >= 15
    assert {a.exercise.framework for a in ATTACKS} >= {"none", "torch"}


@pytest.mark.parametrize("attack", ATTACKS, ids=lambda a: a.id)
def test_attack_gets_its_honest_score(attack: Attack, run: Run) -> None:
    r = run.results[attack.id]
    how, value = _expected(attack, run)
    if how == "==":
        assert r.score == value, f"{attack.name}: expected {value:g}, got\n{_describe(r)}"
    else:
        assert r.score <= value, f"{attack.name}: expected at most {value:g}, got\n{_describe(r)}"
    reference = run.results[f"{attack.exercise.id}:reference"]
    assert r.max_score == reference.max_score > 0, f"{attack.name} changed the maximum (a dodged check):\n{_describe(r)}"
    assert not [c for c in r.checks if c.status == "skipped" and
                c.name not in {x.name for x in reference.checks if x.status == "skipped"}]
    for name in attack.fails:
        check = next(c for c in r.checks if c.name == name)
        assert check.status != "passed", f"{attack.name}: {name} must not pass\n{_describe(r)}"


@pytest.mark.parametrize("attack", ATTACKS, ids=lambda a: a.id)
def test_attack_is_reported_within_limits(attack: Attack, run: Run) -> None:
    r = run.results[attack.id]
    assert r.checks, f"{attack.name}: no checks reported"
    assert r.duration_s <= TIMEOUT + 5, f"{attack.name}: took {r.duration_s:.1f} s"
    if attack.name == "fake_output":
        assert all(c.status in ("passed", "failed") for c in r.checks)
        # what it printed is kept, per check (it reopened its own stdout, so only the last write remains)
        assert all('"score": 4.0' in c.output or "4 passed" in c.output for c in r.checks)


def test_every_exercise_batch_finished_in_bounded_time(run: Run) -> None:
    for ex_id, seconds in run.wall_s.items():
        attacks = sum(1 for a in ATTACKS if a.exercise.id == ex_id)
        assert seconds < attacks * (TIMEOUT / 2) + 120, f"{ex_id}: {seconds:.0f} s"


@pytest.mark.parametrize("attack", [a for a in ATTACKS if a.name in PORTABLE], ids=lambda a: a.id)
def test_attack_without_namespaces_scores_the_same(attack: Attack, run: Run) -> None:
    """The portable defences alone give the same score: a submission scores the same in a
    container without CAP_SYS_ADMIN as on a machine with namespaces."""
    assert run.portable[attack.id].score == run.results[attack.id].score, _describe(run.portable[attack.id])
    assert run.portable[attack.id].max_score == run.results[attack.id].max_score


def test_kit_files_are_unchanged(run: Run) -> None:
    for rel in WATCHED_FILES:
        if rel in run.before:
            assert run.after.get(rel) == run.before[rel], f"{rel} was modified during the adversarial run"
    added = sorted(set(run.after) - set(run.before))
    assert not [a for a in added if Path(a).name in ("conftest.py", "sitecustomize.py", "pytest.ini")], added
    for rel in sorted(set(run.after) - set(WATCHED_FILES)):
        if run.after[rel] != run.before.get(rel):  # changed by someone: never by an attack
            assert MARK not in (KIT / rel).read_text(encoding="utf-8", errors="replace"), rel


def test_no_process_outlives_grading(run: Run) -> None:
    assert not run.leftovers, f"left behind: {run.leftovers}"
    assert run.daemon_pids, "the daemon attack did not start (nothing was tested)"
    running = [p for p in run.daemon_pids if alive(p)]
    for pid in running:  # never leave them behind, even when the test fails
        try:
            os.kill(pid, signal.SIGKILL)
        except OSError:
            pass
    assert not running, f"daemons still running: {running}"


def test_namespaces_were_used_where_the_kernel_allows(run: Run) -> None:
    if sys.platform != "linux":
        pytest.skip("namespaces are Linux-only")
    probe = subprocess.run(["unshare", "--mount", "--pid", "--fork", "true"], capture_output=True)
    if probe.returncode != 0:
        pytest.skip("this machine does not allow namespaces: the portable defences were tested")
    assert run.modes == {"namespaces"}, run.modes


def test_json_on_stdout_stays_clean(tmp_path: Path) -> None:
    """With a machine format on stdout, whatever the submission prints stays out of it."""
    import json

    attack = next(a for a in ATTACKS if a.name == "fake_output")
    folder = _folder(tmp_path, "s", attack.exercise, attack.path.read_text(encoding="utf-8"), {})
    proc = subprocess.run([sys.executable, "-m", "grader.cli", attack.exercise.id, "--submission", str(folder),
                           "--format", "json"], cwd=KIT, capture_output=True, text=True, timeout=300,
                          env={**os.environ, "GRADE_LANG": "en", "NO_COLOR": "1"})
    report = json.loads(proc.stdout)
    assert report["score"] == 2.0 and report["max_score"] == 4.0
    assert proc.returncode == 1


def test_forged_results_file_is_overwritten_by_the_real_one(tmp_path: Path) -> None:
    """`--output` is written after grading, from the grader's own results."""
    import json

    attack = next(a for a in ATTACKS if a.name == "fake_output")
    folder = _folder(tmp_path, "s", attack.exercise, attack.path.read_text(encoding="utf-8"), {})
    out = tmp_path / "out" / "results.json"
    out.parent.mkdir()
    out.write_text(json.dumps({"score": 4.0, "tests": []}))
    proc = subprocess.run([sys.executable, "-m", "grader.cli", attack.exercise.id, "--submission", str(folder),
                           "--format", "gradescope", "--output", str(out)], cwd=KIT, capture_output=True,
                          text=True, timeout=300, env={**os.environ, "GRADE_LANG": "en", "NO_COLOR": "1"})
    assert proc.returncode == 1, proc.stderr
    assert json.loads(out.read_text())["score"] == 2.0
