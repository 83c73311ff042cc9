"""Fuzz policyc with generated and mutated source trees for as long as asked.

    python3 scripts/fuzz.py --minutes 60            # random cases until time is up
    python3 scripts/fuzz.py --examples 25 --derandomize   # the fixed run the test suite makes

Each case is held to the rule in tests/fuzz_run.py (exit 0 or 1 with a located message,
no traceback, bounded time, sources unchanged, nothing written outside the output
folder). The whole run is held to --memory-mb of address space. Prints how many cases
were tried and every failure, and saves each failing tree under --keep; exit 1 if any.
"""

from __future__ import annotations

import argparse
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from hypothesis import HealthCheck, given, seed, settings  # noqa: E402

from tests.fuzz_run import check_case  # noqa: E402
from tests.fuzzing import Case, cases  # noqa: E402


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--minutes", type=float, default=None, help="run random cases for this long")
    p.add_argument("--examples", type=int, default=None, help="run this many cases (with --derandomize: always the same)")
    p.add_argument("--derandomize", action="store_true", help="the same cases on every run (for CI)")
    p.add_argument("--seed", type=int, default=int(time.time()), help="where random runs start")
    p.add_argument("--pdf-share", type=float, default=0.025, help="share of cases also built as PDF")
    p.add_argument("--memory-mb", type=int, default=3000, help="address-space limit for the whole run")
    p.add_argument("--keep", type=Path, default=Path("fuzz-failures"), help="where failing trees are saved")
    args = p.parse_args()
    if args.minutes is None and args.examples is None:
        args.minutes = 1.0
    limit = args.memory_mb * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))

    deadline = time.monotonic() + args.minutes * 60 if args.minutes is not None else float("inf")
    tried, failures, batch = [0], [], 0
    kinds = {"example trust": 0, "PDF": 0, "YAML damaged": 0, "newer keys": 0}
    last: list[Case] = []

    def one(case: Case) -> None:
        if time.monotonic() > deadline or (args.examples is not None and tried[0] >= args.examples):
            return
        tried[0] += 1
        kinds["example trust"] += len(case.files) > 3
        kinds["PDF"] += case.build_pdf
        kinds["YAML damaged"] += any(s.startswith("yaml ") for s in case.steps)
        kinds["newer keys"] += any(s.startswith("newer ") for s in case.steps)
        with tempfile.TemporaryDirectory(prefix="policyc-fuzz-") as workspace:
            try:
                check_case(case, Path(workspace))
            except BaseException:
                last[:] = [case]
                raise

    started = time.monotonic()
    while time.monotonic() < deadline and (args.examples is None or tried[0] < args.examples):
        size = args.examples - tried[0] if args.examples is not None else 25
        test = settings(max_examples=size, deadline=None, database=None, derandomize=args.derandomize,
                        suppress_health_check=list(HealthCheck), print_blob=False)(given(cases(args.pdf_share))(one))
        if not args.derandomize:
            test = seed(args.seed + batch)(test)
        batch += 1
        try:
            test()
        except Exception as exc:  # hypothesis has shrunk it; the last failing case is the smallest
            failures.append((str(exc).strip(), last[0] if last else None))
            if last:
                folder = args.keep / f"case-{len(failures)}"
                shutil.rmtree(folder, ignore_errors=True)
                for name, data in last[0].files.items():
                    (folder / name).parent.mkdir(parents=True, exist_ok=True)
                    (folder / name).write_bytes(data)
                (folder / "STEPS.txt").write_text(last[0].describe() + "\n\n" + str(exc) + "\n", encoding="utf-8")
        if args.derandomize:
            break
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
    print(f"fuzz: {tried[0]} case(s) in {time.monotonic() - started:.0f} s, peak memory {peak} MB, "
          f"{len(failures)} failure(s)")
    print("  of which: " + ", ".join(f"{n} {k}" for k, n in kinds.items()))
    for i, (message, case) in enumerate(failures, 1):
        print(f"\n--- failure {i}: {case.describe() if case else '?'}\n{message[:3000]}")
        if case:
            print(f"(tree saved in {args.keep / f'case-{i}'})")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
