"""Benchmark of the publisher on this repository's series, measured in one run.

Prints wall times of the stages and their ratios to a full build. The machine is shared
and noisy: read the ratios, not the seconds, and never assert on either in a test.

    .venv/bin/python tools/bench.py [--repeat N]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def timed(command: list[str], repeat: int) -> float:
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        subprocess.run(command, check=True, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        samples.append(time.perf_counter() - started)
    return statistics.median(samples)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="runs per measurement (median is shown)")
    args = parser.parse_args()
    publisher = [sys.executable, "-m", "publisher"]
    with tempfile.TemporaryDirectory() as out:
        cases = [
            ("publisher check (validate, no rendering)", publisher + ["check"]),
            ("build --format html", publisher + ["build", "-q", "--out", out, "--format", "html"]),
            ("build --format epub", publisher + ["build", "-q", "--out", out, "--format", "epub"]),
            ("build (html, both PDFs, epub)", publisher + ["build", "-q", "--out", out]),
        ]
        results = [(name, timed(command, args.repeat)) for name, command in cases]
    full = results[-1][1]
    width = max(len(name) for name, _ in results)
    print(f"{'stage':<{width}}  {'median s':>9}  {'of full build':>13}")
    for name, seconds in results:
        print(f"{name:<{width}}  {seconds:>9.2f}  {seconds / full:>12.1%}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
