"""Batch grading against the naive loop, on generated submissions of every exercise.

    .venv/bin/python benchmarks/bench_batch.py              # 20 students, -j 1 and -j 2
    .venv/bin/python benchmarks/bench_batch.py --students 6 --no-dedupe-run

Generates N student folders. For each (student, exercise) it picks, from a seeded RNG, what
a class hands in: a correct solution (the reference or one of tests/alternatives, with
the student's name in a header comment, so no two are byte-identical), a plausible wrong
one (one of the shipped mutants, also made unique), the untouched stub (not attempted:
byte-identical across students, as in a real class) or no file at all. Then, in one run:

1. the naive loop: `for d in submissions/*/; do grade --submission "$d" --format json; done`
   (one process per submission: it pays the torch/TF imports once per student);
2. `grade batch submissions/ -j N` for each N of `--jobs` (default 1 and 2: warm workers,
   identical files graded once; -j N grades N exercises at a time, each with the cores
   left over for its checks);
3. with `--no-dedupe-run`, also `grade batch -j N --no-dedupe` (every file graded);
4. the in-process floor: `pytest checks/ --submission DIR` for each student, one after the
   other (the checks' own work, with none of the isolation around them).

It checks that the batch's CSV matches the loop's scores, and prints wall-clock and CPU
seconds (of each command and every process it waited for), the speed-up, the ratios to the
in-process floor and the marginal cost per (submission x exercise).
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

KIT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(KIT))

from grader import catalog  # noqa: E402

GRADE = [str(KIT / ".venv" / "bin" / "grade")] if (KIT / ".venv" / "bin" / "grade").exists() else \
    [sys.executable, "-m", "grader.cli"]
MIX = (("correct", 0.40), ("wrong", 0.30), ("stub", 0.20), ("missing", 0.10))


def generate(root: Path, students: int, seed: int, unique: bool = True) -> dict[str, dict[str, str]]:
    """Student folders under `root`; returns what each (student, exercise) got."""
    rng = random.Random(seed)
    exercises = catalog.discover()
    plan: dict[str, dict[str, str]] = {}
    for i in range(students):
        name = f"student{i + 1:02d}"
        folder = root / name
        folder.mkdir(parents=True)
        plan[name] = {}
        for ex in exercises:
            kind = rng.choices([k for k, _ in MIX], weights=[w for _, w in MIX])[0]
            alternatives = sorted((KIT / "tests" / "alternatives" / f"ex{ex.number:02d}").glob("*.py"))
            mutants = ex.mutants()
            if kind == "correct":
                source = rng.choice([ex.reference_path, *alternatives])
            elif kind == "wrong" and mutants:
                source = rng.choice(mutants)
            elif kind == "missing":
                plan[name][ex.id] = "missing"
                continue
            else:
                kind, source = "stub", ex.stub_path
            text = source.read_text(encoding="utf-8")
            if kind != "stub" and unique:  # a real class: attempted files differ, if only by a comment
                text = f"# {name}: {ex.id}\n{text}"
            (folder / ex.filename).write_text(text, encoding="utf-8")
            plan[name][ex.id] = f"{kind}:{source.stem}"
    return plan


def measured(run) -> tuple[float, float]:
    """(wall seconds, CPU seconds of every child process reaped) of `run()`."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.monotonic()
    run()
    wall = time.monotonic() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def in_process(root: Path) -> None:
    """The floor: every check module run in-process against each student's folder."""
    modules = [str(ex.check_path.relative_to(KIT)) for ex in catalog.discover()]
    for folder in sorted(p for p in root.iterdir() if p.is_dir()):
        subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:randomly", "--submission", str(folder),
                        *modules], cwd=KIT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)


def naive_loop(root: Path, results: Path) -> None:
    results.mkdir(parents=True, exist_ok=True)
    script = (f'for d in "{root}"/*/; do n=$(basename "$d"); '
              f'{" ".join(GRADE)} --submission "$d" --format json --output "{results}/$n.json" >/dev/null 2>&1; '
              f'done')
    subprocess.run(["bash", "-c", script], check=False, env={**os.environ, "GRADE_LANG": "en"})


def batch(root: Path, out: Path, jobs: int, dedupe: bool) -> None:
    cmd = [*GRADE, "batch", str(root), "-j", str(jobs), "--out", str(out), "--force"]
    if not dedupe:
        cmd.append("--no-dedupe")
    proc = subprocess.run(cmd, capture_output=True, text=True, env={**os.environ, "GRADE_LANG": "en"})
    if proc.returncode != 0:
        raise SystemExit(f"grade batch failed ({proc.returncode}):\n{proc.stderr}")
    sys.stderr.write(proc.stderr)


def compare(out: Path, loop: Path) -> list[str]:
    with open(out / "gradebook.csv", encoding="utf-8") as f:
        rows = {r["student"]: r for r in csv.DictReader(f)}
    problems = []
    for student, row in sorted(rows.items()):
        report = json.loads((loop / f"{student}.json").read_text(encoding="utf-8"))
        for ex in report["exercises"]:
            if float(row[ex["id"]]) != float(ex["score"]):
                problems.append(f"{student} {ex['id']}: batch {row[ex['id']]} vs loop {ex['score']:g}")
    return problems


def report(runs: dict[str, tuple[float, float]], floor: str, pairs: int, jobs: int) -> None:
    """Wall and CPU seconds of each run, and their ratios to the in-process floor (CPU: the
    machinery's cost; wall: the floor runs one process at a time, the batch on -j cores)."""
    print()
    print(f"{'':38} {'wall s':>8} {'CPU s':>8} {'CPU / floor':>12} {'wall / floor':>13} {'wall per pair':>14}")
    for name, (wall, cpu) in runs.items():
        print(f"{name:38} {wall:8.1f} {cpu:8.1f} {cpu / runs[floor][1]:12.2f} {wall / runs[floor][0]:13.2f} "
              f"{wall / pairs:13.2f}s")
    loop, first_batch = runs["naive loop (grade per submission)"], runs[f"grade batch -j {jobs}"]
    print(f"speed-up, batch vs loop: {loop[0] / first_batch[0]:.2f}x wall")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--students", type=int, default=20)
    parser.add_argument("-j", "--jobs", type=int, nargs="+", default=[1, 2],
                        help="one `grade batch -j N` run for each (default: 1, the command's own default, and 2)")
    parser.add_argument("--seed", type=int, default=20241123)
    parser.add_argument("--no-dedupe-run", action="store_true", help="also time `grade batch --no-dedupe`")
    parser.add_argument("--keep", type=Path, default=None, help="keep the generated class and outputs here")
    parser.add_argument("--identical", action="store_true",
                        help="hand in byte-identical copies of the reference/mutants (no per-student comment)")
    parser.add_argument("--max-examples", type=int, default=None,
                        help="hypothesis examples per check, for both sides (default: the grading profile's)")
    args = parser.parse_args()
    if args.max_examples is not None:
        os.environ["GRADE_MAX_EXAMPLES"] = str(args.max_examples)

    work = args.keep or Path(tempfile.mkdtemp(prefix="bench-batch-"))
    root = work / "submissions"
    if root.exists():
        shutil.rmtree(root)
    plan = generate(root, args.students, args.seed, unique=not args.identical)
    exercises = catalog.discover()
    kinds: dict[str, int] = {}
    for per in plan.values():
        for what in per.values():
            kinds[what.split(":")[0]] = kinds.get(what.split(":")[0], 0) + 1
    pairs = args.students * len(exercises)
    print(f"{args.students} submissions x {len(exercises)} exercises = {pairs} (submission, exercise) pairs "
          f"({', '.join(f'{v} {k}' for k, v in sorted(kinds.items()))}); "
          f"{'identical copies' if args.identical else 'attempted files unique per student'}; "
          f"max_examples={os.environ.get('GRADE_MAX_EXAMPLES', 'default')}; {os.cpu_count()} CPUs; "
          f"load average {os.getloadavg()[0]:.1f}", flush=True)

    runs: dict[str, tuple[float, float]] = {}
    runs["naive loop (grade per submission)"] = measured(lambda: naive_loop(root, work / "loop"))
    problems: list[str] = []
    for jobs in args.jobs:
        runs[f"grade batch -j {jobs}"] = measured(lambda: batch(root, work / f"batch-{jobs}", jobs, dedupe=True))
        problems += compare(work / f"batch-{jobs}", work / "loop")
    if args.no_dedupe_run:
        jobs = args.jobs[0]
        runs[f"grade batch -j {jobs} --no-dedupe"] = measured(
            lambda: batch(root, work / "batch-full", jobs, dedupe=False))
        problems += compare(work / "batch-full", work / "loop")
    floor = "pytest in-process (the floor)"
    runs[floor] = measured(lambda: in_process(root))
    report(runs, floor, pairs, args.jobs[0])
    print("CSV matches the per-submission scores: " + ("yes" if not problems else "NO\n  " + "\n  ".join(problems)))
    if not args.keep:
        shutil.rmtree(work, ignore_errors=True)
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main()
