"""Benchmark: `grade ex3` wall time against `python -c "import torch"`, side by side.

Not a test (machines are noisy): run it and read the ratio.

    .venv/bin/python benchmarks/bench_grade_ex3.py [--repeat 7] [--exercise ex3]

Both commands run alternately in the same session, several times; the medians and
their ratio are printed, with `grade list` for the "no torch import" budget.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def timed(cmd: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--exercise", default="ex3")
    args = parser.parse_args()
    commands = {
        "import torch": [sys.executable, "-c", "import torch"],
        f"grade {args.exercise}": [str(BIN / "grade"), args.exercise, "--reference"],
        "grade list": [str(BIN / "grade"), "list"],
    }
    for cmd in commands.values():  # warm the file cache once
        timed(cmd)
    samples: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(args.repeat):
        for name, cmd in commands.items():
            samples[name].append(timed(cmd))
    medians = {name: statistics.median(v) for name, v in samples.items()}
    base = medians["import torch"]
    print(f"{'command':<22} {'median s':>9} {'ratio':>7}   samples")
    for name, m in medians.items():
        print(f"{name:<22} {m:9.3f} {m / base:7.2f}   " + " ".join(f"{s:.2f}" for s in samples[name]))


if __name__ == "__main__":
    main()
