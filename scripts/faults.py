"""Kill policyc outright at hundreds of moments and check what each kill leaves.

    python3 scripts/faults.py --count 300 --seed 7          # 300 moments over build, ratify and import
    python3 scripts/faults.py --count 50 --command ratify    # one command only

Each moment is a command killed with SIGKILL just before its Nth write to the file system
(N drawn from --seed), then held to the rule in tests/faults.py: the output previous or new,
never a mixture; the sources exactly as before or as after a complete run once the next
command has read them; that command, and the same command again, succeed without a
traceback. Prints each failure and a summary; exit 1 if any moment failed.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.faults import COMMANDS, baseline, try_point  # noqa: E402


def main() -> int:
    names = [c.name for c in COMMANDS]
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--count", type=int, default=300, help="how many moments in all (shared between the commands)")
    p.add_argument("--seed", type=int, default=int(time.time()), help="where the moments are drawn from")
    p.add_argument("--command", choices=names, action="append", help="only this command (repeat for several)")
    args = p.parse_args()
    if args.count < 1:
        p.error("--count must be 1 or more")
    chosen = [c for c in COMMANDS if c.name in (args.command or names)]
    rng = random.Random(args.seed)
    started = time.monotonic()
    tally: dict[str, Counter] = {c.name: Counter() for c in chosen}
    failures = []
    with tempfile.TemporaryDirectory(prefix="policyc-faults-") as folder:
        work, templates = Path(folder) / "work", Path(folder) / "templates"
        bases = {c.name: baseline(c, work, templates) for c in chosen}
        for i in range(args.count):
            base = bases[chosen[i % len(chosen)].name]
            at = rng.randint(1, base.writes)
            point = try_point(base, work, at)
            tally[point.command]["failed" if point.problems else point.outcome] += 1
            tally[point.command][f"{point.output} output"] += bool(point.output)
            if point.problems:
                failures.append(point)
                print(f"FAIL {point.command} killed at write {at} of {base.writes}: " + "; ".join(point.problems),
                      flush=True)
    seconds = time.monotonic() - started
    for name, counts in tally.items():
        tried = counts["before"] + counts["after"] + counts["failed"]
        output = (f"; the output {counts['previous output']} times the previous one, {counts['new output']} the new"
                  if counts["previous output"] + counts["new output"] else "")
        print(f"{name}: {tried} kill(s) over {bases[name].writes} writes: sources {counts['before']} as before, "
              f"{counts['after']} as after{output}; {counts['failed']} failed")
    print(f"faults: {args.count} kill(s), seed {args.seed}, {len(failures)} failure(s) in {seconds:.0f} s")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
