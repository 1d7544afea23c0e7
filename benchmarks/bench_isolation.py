"""Benchmark: what isolation costs — `grade --reference` against the same checks in-process.

Not a test (machines are noisy): run it on a quiet machine and read the ratios.

    .venv/bin/python benchmarks/bench_isolation.py [--repeat 3] [--exercises ex1 ex3 ...]

For the reference solutions of the chosen exercises (default: all), alternately:

- `grade <ids> --reference --format json`: the real grading path (host, warm worker,
  exercise process, one process per check, guard, sandbox);
- `pytest checks/<modules> --submission reference`: the in-process floor, the checks' own
  work with none of the machinery around them.

Each run's CPU seconds (user + system, of the command and every process it waited for)
and wall seconds are measured; the medians and the ratios grade / in-process are printed.
"""

from __future__ import annotations

import argparse
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
sys.path.insert(0, str(ROOT))

from grader import catalog  # noqa: E402


def measured(cmd: list[str]) -> tuple[float, float]:
    """(CPU seconds, wall seconds) of `cmd` and every descendant it reaped."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime), wall


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--exercises", nargs="*", default=None)
    args = parser.parse_args()
    exercises = [catalog.resolve(q) for q in args.exercises] if args.exercises else catalog.discover()
    commands = {
        "grade (isolated)": [str(BIN / "grade"), *(e.id for e in exercises), "--reference", "--format", "json"],
        "pytest (in-process)": [sys.executable, "-m", "pytest", "-q", "-p", "no:randomly", "--submission", "reference",
                                *(str(e.check_path.relative_to(ROOT)) for e in exercises)],
    }
    samples: dict[str, list[tuple[float, float]]] = {name: [] for name in commands}
    for _ in range(args.repeat):
        for name, cmd in commands.items():
            samples[name].append(measured(cmd))
    cpu = {name: statistics.median(s[0] for s in v) for name, v in samples.items()}
    wall = {name: statistics.median(s[1] for s in v) for name, v in samples.items()}
    floor = "pytest (in-process)"
    print(f"{len(exercises)} exercises, {args.repeat} runs each, alternating")
    print(f"{'command':<22} {'CPU s':>8} {'wall s':>8} {'CPU ratio':>10} {'wall ratio':>11}")
    for name in commands:
        print(f"{name:<22} {cpu[name]:8.1f} {wall[name]:8.1f} {cpu[name] / cpu[floor]:10.2f} "
              f"{wall[name] / wall[floor]:11.2f}")


if __name__ == "__main__":
    main()
