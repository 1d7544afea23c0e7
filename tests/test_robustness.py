"""Submissions that break in the ways learners' code breaks: never a crash, hang or free point."""

import os
import sys
import time
from pathlib import Path

import pytest

from helpers import alive, grade_json, run_grade, submission

CASES = {
    "syntax_error": ("ANSWERS = {1: True, 2: True\n3: False}\n", "line"),
    "raises_at_import": ("import torchh\nANSWERS = {1: True, 2: True, 3: False, 4: True}\n", "torchh"),
    "sys_exit_at_import": ("import sys\nsys.exit(0)\nANSWERS = {1: True, 2: True, 3: False, 4: True}\n", "SystemExit"),
    "os_exit_at_import": ("import os\nos._exit(0)\nANSWERS = {1: True, 2: True, 3: False, 4: True}\n", "exit"),
    "loops_at_import": ("while True:\n    pass\nANSWERS = {1: True, 2: True, 3: False, 4: True}\n", "timed out"),
    "kills_itself": ("import os, signal\nos.kill(os.getpid(), signal.SIGKILL)\nANSWERS = {1: True}\n", "ended"),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_broken_submission_scores_zero_with_a_message(case: str, tmp_path: Path) -> None:
    source, needle = CASES[case]
    folder = submission(tmp_path, "ex01_true_or_false", source)
    start = time.monotonic()
    code, report = grade_json("ex1", "--submission", str(folder), "--timeout", "4", timeout=120)
    elapsed = time.monotonic() - start
    ex = report["exercises"][0]
    assert code == 1
    assert ex["score"] == 0 and ex["max_score"] == 4
    assert ex["status"] in ("error", "timeout")
    text = (ex["message"] or "") + " ".join(c["message"] or "" for c in ex["checks"])
    assert needle.lower() in text.lower(), text
    assert elapsed < 60, f"took {elapsed:.1f} s"


def test_syntax_error_points_at_the_line(tmp_path: Path) -> None:
    folder = submission(tmp_path, "ex01_true_or_false", "x = 1\nANSWERS = {1: True,, 2: True}\n")
    _, report = grade_json("ex1", "--submission", str(folder))
    assert "line 2" in report["exercises"][0]["message"]


def test_a_file_that_does_not_import_has_the_same_maximum(tmp_path: Path) -> None:
    """ex5 runs some checks on every device: where one is absent, those checks are skipped
    whether or not the file imports, so the learner sees one denominator."""
    reference = (Path(__file__).resolve().parent.parent / "reference" / "ex05_early_stopping_checkpoint.py").read_text()
    folder = submission(tmp_path, "ex05_early_stopping_checkpoint", reference + "\ndef broken(:\n")
    _, broken = grade_json("ex5", "--submission", str(folder), timeout=180)
    _, whole = grade_json("ex5", "--reference", timeout=180)
    (b,), (w,) = broken["exercises"], whole["exercises"]
    assert b["score"] == 0 and b["max_score"] == w["max_score"] > 0
    assert {c["name"] for c in b["checks"] if c["status"] == "skipped"} == \
        {c["name"] for c in w["checks"] if c["status"] == "skipped"} != set()


def _outcomes(folder: Path, exercise: str, check_jobs: int) -> list[tuple[str, str, str]]:
    from grader import catalog
    from grader.isolation.host import GradeOptions, Job, grade

    ex = catalog.resolve(exercise)
    (result,) = grade([Job(ex, folder)], GradeOptions(submission=folder, check_jobs=check_jobs))
    return [(c.name, c.status, c.message.en if c.message else "") for c in result.checks]


MUTANT = Path(__file__).resolve().parent.parent / "checks" / "mutants" / "ex03" / "sample_std.py"


def test_checks_side_by_side_score_as_one_at_a_time(tmp_path: Path) -> None:
    """Running an exercise's checks concurrently (one per core) changes nothing in the result,
    even when one check starts a fork loop: the checks in flight then run again, alone."""
    reference = (Path(__file__).resolve().parent.parent / "reference" / "ex03_normalized_dataset.py").read_text()
    forking = reference.replace(
        "    def __len__(self) -> int:\n",
        "    def __len__(self) -> int:\n        import os, time\n        for _ in range(7):\n"
        "            try:\n                os.fork()\n            except OSError:\n                break\n"
        "        time.sleep(20)\n", 1)
    assert forking != reference
    for name, source in (("mutant", MUTANT.read_text()), ("forking", forking)):
        folder = submission(tmp_path / name, "ex03_normalized_dataset", source)
        alone = _outcomes(folder, "ex3", check_jobs=1)
        together = _outcomes(folder, "ex3", check_jobs=2)
        assert together == alone
        assert any(status == "failed" for _, status, _ in alone)
        assert any(status == "passed" for _, status, _ in alone)


def test_check_jobs_come_from_the_option_then_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """An explicit `check_jobs` wins; `GRADE_CHECK_JOBS` caps a shared machine; otherwise the
    free cores, at most 4."""
    from grader.isolation import host

    monkeypatch.setattr(host, "usable_cores", lambda: 16)
    monkeypatch.delenv("GRADE_CHECK_JOBS", raising=False)
    assert host._check_jobs(host.GradeOptions(Path(".")), 1) == 4
    assert host._check_jobs(host.GradeOptions(Path(".")), 8) == 2
    assert host._check_jobs(host.GradeOptions(Path(".")), 32) == 1
    monkeypatch.setenv("GRADE_CHECK_JOBS", "1")
    assert host._check_jobs(host.GradeOptions(Path(".")), 1) == 1
    assert host._check_jobs(host.GradeOptions(Path("."), check_jobs=3), 1) == 3
    monkeypatch.setenv("GRADE_CHECK_JOBS", "many")
    assert host._check_jobs(host.GradeOptions(Path(".")), 1) == 4


def test_a_pyc_handed_in_beside_the_source_is_never_run(tmp_path: Path) -> None:
    """A compiled `__pycache__/*.pyc` whose timestamp and size match the `.py` would be what
    Python imports; the grader compiles the source it shows instead."""
    import py_compile

    good = "ANSWERS = {1: True, 2: True, 3: False, 4: True}\n"
    shown = "ANSWERS = {1: True, 2: True, 3: True , 4: True}\n"  # same size, one answer wrong
    source = tmp_path / "ex01_true_or_false.py"
    source.write_text(good)
    os.utime(source, (1_700_000_000, 1_700_000_000))
    py_compile.compile(str(source), cfile=str(tmp_path / "__pycache__" / f"ex01_true_or_false.{sys.implementation.cache_tag}.pyc"))
    source.write_text(shown)
    os.utime(source, (1_700_000_000, 1_700_000_000))
    _, report = grade_json("ex1", "--submission", str(tmp_path))
    assert report["exercises"][0]["score"] == 3


def test_torch_only_jobs_get_a_worker_without_tensorflow_when_workers_grade_several() -> None:
    """A worker that imported TensorFlow is a larger process to fork from: torch-only jobs go to
    a worker of their own when each worker grades several jobs of both kinds."""
    from grader import catalog
    from grader.isolation import host

    def jobs(*ids: str) -> list[host.Job]:
        return [host.Job(catalog.resolve(i), Path(".")) for i in ids]

    mixed = jobs("ex1", "ex3", "ex4", "ex12", "ex6")
    kind_of = host._worker_kinds(mixed, 1)
    assert [kind_of(j) for j in mixed] == ["torch", "torch", "keras", "keras", "torch"]
    one_each = host._worker_kinds(mixed, 5)  # one job per worker: splitting would only add imports
    assert {one_each(j) for j in mixed} == {"all"}
    only_torch = host._worker_kinds(jobs("ex3", "ex6", "ex7"), 1)
    assert {only_torch(j) for j in jobs("ex3", "ex6", "ex7")} == {"all"}


def test_frameworks_a_submission_imports_are_imported_by_the_worker(tmp_path: Path) -> None:
    """ex1 needs no framework, but a file that imports torch or TensorFlow gets them imported
    by the worker first (their first import does what student code may not); found from the
    syntax tree, nested and `from` imports included, never by running the file."""
    from grader import catalog
    from grader.isolation import host

    def framework_of(source: str, exercise: str = "ex1") -> str:
        ex = catalog.resolve(exercise)
        folder = tmp_path / str(abs(hash(source)))
        folder.mkdir()
        (folder / f"{ex.stem}.py").write_text(source)
        return host.Job(ex, folder).framework

    assert framework_of("ANSWERS = {}\n") == "none"
    assert framework_of("import torch.nn as nn\n") == "torch"
    assert framework_of("def f():\n    from tensorflow import keras\n") == "keras"
    assert framework_of("import numpy, torch\nimport keras\n") == "both"
    assert framework_of("import tensorflow\n", "ex3") == "both"
    assert framework_of("from . import torch\nimport torchvision_like\n") == "none"
    assert framework_of("def broken(:\n") == "none"


def test_two_runs_give_byte_identical_reports_temp_folders_included() -> None:
    """ex5's reference prints the checkpoint path it saves to: a folder that is new on
    every run. Reports show it as `<tmp>`, so the same submission gets the same report."""
    import re

    def report() -> str:
        proc = run_grade("ex5", "--reference", "--format", "json", timeout=300)
        assert proc.returncode == 0, proc.stderr
        return re.sub(r'"duration_s": [0-9.]+', '"duration_s": 0', proc.stdout)

    first, second = report(), report()
    assert "<tmp>/" in first and "grade-tmp-" not in first
    assert first == second


HANGS_AT_IMPORT = ("import time\nwhile True:\n    try:\n        time.sleep(0.05)\n"
                   "    except BaseException:\n        pass\nANSWERS = {1: True}\n")


@pytest.mark.parametrize("sig, status", [("SIGINT", 130), ("SIGHUP", 129), ("SIGTERM", 143)])
def test_an_interrupt_ends_every_grading_process_within_a_second(sig: str, status: int, tmp_path: Path) -> None:
    import signal
    import subprocess

    from helpers import GRADE, KIT

    from grader.isolation.sandbox import descendants

    folder = submission(tmp_path, "ex01_true_or_false", HANGS_AT_IMPORT)
    env = {**os.environ, "GRADE_LANG": "en", "NO_COLOR": "1"}
    proc = subprocess.Popen([*GRADE, "ex1", "--submission", str(folder), "--timeout", "120"], cwd=KIT, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    tree: list[int] = []
    deadline = time.monotonic() + 60
    while len(tree) < 3 and time.monotonic() < deadline:  # worker, exercise process, check process
        time.sleep(0.2)
        tree = descendants(proc.pid)
    assert len(tree) >= 3, "grading never reached the hanging check"
    proc.send_signal(getattr(signal, sig))
    _, stderr = proc.communicate(timeout=10)
    time.sleep(1.0)
    running = [pid for pid in tree if alive(pid)]
    assert not running, f"still running after {sig}: {[(p, _describe(p)) for p in running]} {proc.returncode} {stderr}"
    assert proc.returncode == status
    assert "grading interrupted" in stderr and "grader itself failed" not in stderr


def _describe(pid: int) -> str:
    try:
        with open(f"/proc/{pid}/stat", "rb") as f:
            stat = f.read().decode(errors="replace")[:60]
        with open(f"/proc/{pid}/status") as f:
            status = [ln for ln in f.read().splitlines() if ln.startswith(("State", "PPid", "NSpid", "Sig", "Shd"))]
        fds = {fd: os.readlink(f"/proc/{pid}/fd/{fd}") for fd in os.listdir(f"/proc/{pid}/fd")}
        return stat + " " + " | ".join(status) + f" fds={fds}"
    except OSError:
        return "gone"



def test_a_memory_bomb_is_stopped_by_the_exercise_budget_and_named(tmp_path: Path) -> None:
    """Allocate until refused, keep it, sleep: where a cgroup can hold the exercise, the
    kernel stops it at the exercise's budget and the report says so."""
    from grader.isolation import sandbox

    if not sandbox._memory_cgroup_bases():
        pytest.skip("no writable memory cgroup here: RLIMIT_AS per process applies instead")
    bomb = ("import time\nchunks = []\ntry:\n    while True:\n        chunks.append(bytearray(64 << 20))\n"
            "except MemoryError:\n    pass\ntime.sleep(1000)\nANSWERS = {1: True, 2: True, 3: False, 4: True}\n")
    folder = submission(tmp_path, "ex01_true_or_false", bomb)
    _, report = grade_json("ex1", "--submission", str(folder), "--timeout", "120", timeout=150)
    ex = report["exercises"][0]
    assert ex["score"] == 0 and ex["max_score"] == 4
    assert "too much memory" in (ex["message"] or ""), ex["message"]


def test_a_hang_in_every_call_names_the_line_and_cuts_the_other_checks_short(tmp_path: Path) -> None:
    hang = ("import time\n\n\ndef train(*args, **kwargs):\n    while True:\n        try:\n"
            "            time.sleep(0.01)\n        except BaseException:\n            pass\n")
    folder = submission(tmp_path, "ex02_fix_training_loop", hang)
    start = time.monotonic()
    _, report = grade_json("ex2", "--submission", str(folder), timeout=400)
    elapsed = time.monotonic() - start
    ex = report["exercises"][0]
    assert ex["status"] == "timeout" and ex["score"] == 0
    assert "ex02_fix_training_loop.py:7 (train)" in ex["message"]
    messages = [c["message"] for c in ex["checks"]]
    assert any(m.startswith("not run:") for m in messages) or all("timed out" in m for m in messages)
    assert elapsed < 13 * 60 / 2, f"{elapsed:.0f} s: as long as every check waiting its own limit"


def test_meanwhile_runs_once_before_any_result_even_with_no_jobs() -> None:
    from grader import catalog
    from grader.isolation.host import GradeOptions, Job, grade

    events: list[str] = []
    opts = GradeOptions(submission=catalog.KIT_ROOT / "reference")
    jobs = [Job(catalog.resolve(q), catalog.KIT_ROOT / "reference") for q in ("ex1", "ex7")]
    results = grade(jobs, opts, meanwhile=lambda: events.append("meanwhile"),
                    on_result=lambda job, result: events.append(job.exercise.id))
    assert events == ["meanwhile", "ex1", "ex7"]
    assert all(r.score == r.max_score for r in results)
    assert grade([], opts, meanwhile=lambda: events.append("alone")) == [] and events[-1] == "alone"
