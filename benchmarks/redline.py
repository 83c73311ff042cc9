"""How long a redline of a 300-clause policy takes, as a ratio against building its HTML.

Both are measured in the same run, interleaved, so a noisy machine slows both alike:

    python benchmarks/redline.py [--clauses 300] [--rounds 15]

It prints the median time of each and the ratio redline / HTML. No pass or fail: the
figure is for people comparing before and after a change.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import statistics
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from policyc.compile.number import number_policy  # noqa: E402
from policyc.history.compare import compare  # noqa: E402
from policyc.model import Block, ClauseBody  # noqa: E402
from policyc.pipeline import check_all  # noqa: E402
from policyc.render.html import render_page, render_policy  # noqa: E402
from policyc.render.redline import redline_context  # noqa: E402

WORDS = ("staff must keep professional boundaries with pupils and parents online and offline when they "
         "use social media for school or personal purposes and report concerns to the safeguarding lead").split()


def sentence(rng: random.Random, n: int = 28) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(n)).capitalize() + "."


def write_sources(root: Path, clauses: int, rng: random.Random) -> None:
    sections = max(1, clauses // 15)
    lines = ["id: big", "title: A Long Policy", 'numbering: "1.1 (a)"', "sections:"]
    for s in range(sections):
        lines += [f"  - id: s{s}", "    kind: general", f"    title: Section {s + 1}", "    clauses:"]
        for c in range(clauses // sections):
            lines += [f"      - id: s{s}-c{c}", f"        text: \"{sentence(rng)} See [[s{s}-c0]] and {{{{ school.name }}}}.\""]
    (root / "policies").mkdir(parents=True)
    (root / "schools").mkdir()
    (root / "policies" / "big.yaml").write_text("\n".join(lines) + "\n")
    (root / "trust.yaml").write_text("name: Bench Trust\napproving_body: Local Governing Body\nroles: {headteacher: Headteacher}\n")
    (root / "schools" / "school.yaml").write_text("name: Bench School\nphase: secondary\n")


def edited(policy, rng: random.Random):
    """Reword 10 clauses, remove 5, add 5 and move 3: a large but realistic revision."""
    parts = [list(p.blocks) for p in policy.parts]
    for _ in range(10):
        blocks = rng.choice(parts)
        i = rng.randrange(len(blocks))
        blocks[i] = replace(blocks[i], body=replace(blocks[i].body, text=blocks[i].body.text.replace("must", "should", 1) + " Also this."))
    for _ in range(5):
        rng.choice([b for b in parts if len(b) > 1]).pop()
    for n in range(5):
        blocks = rng.choice(parts)
        blocks.insert(rng.randrange(len(blocks) + 1), Block(f"new-{n}", ClauseBody(text=sentence(rng)), (),
                                                             policy.parts[0].position, True, "letter"))
    for _ in range(3):
        source, target = rng.sample(parts, 2)
        target.insert(0, source.pop(rng.randrange(len(source))))
    return number_policy(replace(policy, parts=tuple(replace(p, blocks=tuple(b)) for p, b in zip(policy.parts, parts))))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clauses", type=int, default=300)
    parser.add_argument("--rounds", type=int, default=15)
    args = parser.parse_args()
    rng = random.Random(2026)
    with tempfile.TemporaryDirectory() as temp:
        write_sources(Path(temp), args.clauses, rng)
        [old] = check_all(Path(temp)).policies
    new = edited(old, rng)
    today = dt.date(2026, 11, 22)
    html_times, redline_times = [], []
    for _ in range(args.rounds):
        start = time.perf_counter()
        render_policy(new, today, for_web=True, assets="../assets/")
        html_times.append(time.perf_counter() - start)
        start = time.perf_counter()
        context = redline_context(compare(old, new), new, "version 1.0", "the current text", True)
        render_page("redline.html.j2", assets="../assets/", **context)
        redline_times.append(time.perf_counter() - start)
    clauses = sum(1 for p in new.parts for _ in p.blocks)
    html_ms, redline_ms = statistics.median(html_times) * 1000, statistics.median(redline_times) * 1000
    print(f"policy: {clauses} clauses; {args.rounds} rounds, interleaved; medians")
    print(f"  HTML build (baseline): {html_ms:8.1f} ms")
    print(f"  redline:               {redline_ms:8.1f} ms")
    print(f"  ratio redline / HTML:  {redline_ms / html_ms:8.2f}")


if __name__ == "__main__":
    main()
