"""How long `policyc serve` takes to show a save, beside its first build, in one run.

Makes the example trust grown to 100 schools × 10 policies (benchmarks/scale.py), starts
`policyc serve` on it (HTML), and times the first build (from starting the command to
"Serving on", as someone waiting for the page sees it). Then it saves, one after the
other, a school's file (its name), a model clause (a sentence of it), trust.yaml (a
value) and a broken file (a school's, then put right), with one page open as in a browser
beside the editor (that school's social media policy, polling /__policyc/state as its
reload script does). Each save is timed from the save to the state showing the new build
(the moment the open page reloads; the page is then checked to show the edit), and to the
rebuild having written every file. Each is printed as a share of the first build, with
the targets of issue 21:

    python benchmarks/serve.py [--schools 100] [--policies 10] [--keep DIR]

The watcher waits 0.3 s for a burst of saves to end (serve's debounce), so no save can
show in less.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))
from scale import make_trust  # noqa: E402  (the benchmarks' own trust maker)

TARGETS = {"school file": 0.02, "model clause": 0.10, "trust.yaml": None, "broken file": 0.02,
           "broken file put right": None}


def state(url: str, page: str = "") -> dict:
    with urllib.request.urlopen(url + "__policyc/state" + (f"?page=/{page}" if page else ""), timeout=30) as response:
        return json.loads(response.read())


def get(url: str) -> str:
    with urllib.request.urlopen(url, timeout=60) as response:
        return response.read().decode("utf-8")


def until_next(url: str, seen: int, page: str, limit: float = 900) -> tuple[dict, float, float]:
    """Poll as the open page does (but more often, to time it closely) until a build after
    `seen`: when the page reloads; then until that rebuild has written every file."""
    deadline = time.monotonic() + limit
    shown = None
    while time.monotonic() < deadline:
        now = state(url, page)
        if now["build"] > seen and shown is None:
            shown = time.perf_counter(), now
        if shown and not now.get("writing"):
            return shown[1], shown[0], time.perf_counter()
        time.sleep(0.02)
    raise SystemExit(f"no new build within {limit:.0f} s")


def edit(path: Path, pattern: str, repl: str) -> None:
    text = path.read_text(encoding="utf-8")
    new, count = re.subn(pattern, repl, text, count=1, flags=re.M)
    if not count:
        raise SystemExit(f"{path}: nothing matches {pattern!r}")
    path.write_text(new, encoding="utf-8")


def startup() -> tuple[float, float]:
    """The median of seven starts of `policyc --version` and of `python -c "import yaml, jinja2"`."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    def median(command: list[str]) -> float:
        times = []
        for _ in range(7):
            started = time.perf_counter()
            subprocess.run(command, env=env, check=True, capture_output=True)
            times.append(time.perf_counter() - started)
        return sorted(times)[3]
    return (median([sys.executable, "-m", "policyc", "--version"]),
            median([sys.executable, "-c", "import yaml, jinja2"]))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--schools", type=int, default=100)
    parser.add_argument("--policies", type=int, default=10)
    parser.add_argument("--keep", type=Path, help="make the trust and output here and keep them")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as temp:
        where = args.keep or Path(temp)
        src, out = where / "src", where / "output"
        if not src.exists():
            make_trust(src, args.schools, args.policies)
        env = {**os.environ, "PYTHONPATH": str(ROOT)}
        started = time.perf_counter()
        server = subprocess.Popen([sys.executable, "-m", "policyc", "serve", "--source", str(src), "--output", str(out),
                                   "--port", "0", "--format", "html", "--today", "2026-11-22"],
                                  env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        try:
            line = server.stdout.readline()
            first = time.perf_counter() - started
            match = re.search(r"Serving on (http://\S+/)", line)
            if not match:
                raise SystemExit(f"serve did not start: {line!r}")
            url = match.group(1)
            schools = [p for p in sorted((src / "schools").glob("*.yaml")) if (out / p.stem / "social-media.html").is_file()]
            school = schools[len(schools) // 2]  # one whose social media policy page can be open
            policy = src / "policies" / "social-media.yaml"
            kept = school.read_text(encoding="utf-8")
            page = f"{school.stem}/social-media.html"  # the page open in the browser, beside the editor
            saves = [
                ("school file", lambda: edit(school, r"^name: (.*)$", r"name: \1 (renamed)"), False, "(renamed)"),
                ("model clause", lambda: edit(policy, r"^(\s+[A-Z][^:#{}\[\]\"\n]*)\.$", r"\1, as revised."), False,
                 ", as revised."),
                ("trust.yaml", lambda: edit(src / "trust.yaml", r"^(  hr_provider: )(.*)$", r"\1\2 Service"), False, ""),
                ("broken file", lambda: school.write_text(kept + "\n  - : [broken\n", encoding="utf-8"), True,
                 "The sources have"),
                ("broken file put right", lambda: school.write_text(kept, encoding="utf-8"), False, ""),
            ]
            rows = []
            for name, save, broken, shows in saves:
                seen = state(url, page)["build"]
                time.sleep(1.0)  # the watcher has settled after the last build
                saved = time.perf_counter()
                save()
                now, shown, written = until_next(url, seen, page)
                if bool(now["problems"]) != broken:
                    raise SystemExit(f"{name}: unexpected state {now['problems'][:500]!r}")
                if shows and shows not in get(url + page):
                    raise SystemExit(f"{name}: the open page does not show {shows!r} once it reloads")
                rows.append((name, shown - saved, written - saved))
        finally:
            server.terminate()
            server.wait(timeout=60)
    version, baseline = startup()
    print(f"policyc serve, {args.schools} schools × {args.policies} policies, HTML, one run")
    print(f"  first build, start to 'Serving on': {first:7.2f} s")
    print("  each save: to the open page showing it; to every file of its rebuild written")
    for name, seconds, written in rows:
        target = TARGETS[name]
        goal = f"target ≤ {target:.0%}" if target else ""
        print(f"  {name + ':':24} {seconds:6.2f} s  {seconds / first:6.1%} of it  {goal:14} "
              f"written {written:6.2f} s  {written / first:6.1%}")
    print(f"  policyc --version {version:.3f} s, python -c 'import yaml, jinja2' {baseline:.3f} s: "
          f"{version / baseline:.2f}×  target ≤ 1.5×")


if __name__ == "__main__":
    main()
