"""How much faster the example trust builds with documents rendered on every core.

Builds with --jobs 1 (the baseline) and --jobs N alternately, in one run, and prints the
median of each and their ratio:

    python benchmarks/build.py [--rounds 3] [--jobs N]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def timed_build(out: Path, jobs: int) -> float:
    start = time.perf_counter()
    subprocess.run([sys.executable, str(ROOT / "build.py"), "--output", str(out), "--today", "2026-11-22",
                    "--quiet", "--jobs", str(jobs)], check=True, capture_output=True)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    args = parser.parse_args()
    one, many = [], []
    with tempfile.TemporaryDirectory() as temp:
        for _ in range(args.rounds):
            one.append(timed_build(Path(temp) / "one", 1))
            many.append(timed_build(Path(temp) / "many", args.jobs))
    print(f"example trust build, {args.rounds} rounds alternating; medians")
    print(f"  --jobs 1 (baseline): {statistics.median(one):6.1f} s")
    print(f"  --jobs {args.jobs}:{' ' * (13 - len(str(args.jobs)))}{statistics.median(many):6.1f} s")
    print(f"  ratio jobs {args.jobs} / jobs 1: {statistics.median(many) / statistics.median(one):.2f}")


if __name__ == "__main__":
    main()
