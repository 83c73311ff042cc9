"""Run policyc on one generated case and hold it to the rule for hostile input.

The rule: `validate`, `status` and a build end with exit 0, or exit 1 with a located message;
never an internal error or a traceback; within SECONDS_PER_RUN; the sources byte-identical;
nothing written outside the output folder; a failed build leaves the earlier output as it
was. Runs are in this process (fast enough to try thousands of cases) under an alarm;
scripts/fuzz.py bounds this process's memory as a whole.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import re
import signal
from pathlib import Path

from policyc.cli import main
from tests.fuzzing import Case

SECONDS_PER_RUN = 60
LOCATED = re.compile(r"^[^\s:][^:\n]*:\d+:\d+: ", re.M)


class Overtime(BaseException):
    """Raised by the alarm; a BaseException so policyc's own handlers do not swallow it."""


def _alarm(signum, frame) -> None:
    raise Overtime


def digest(root: Path) -> dict[str, str]:
    """Every file and link under `root` with a hash of its bytes (or where it points)."""
    found = {}
    for p in sorted(root.rglob("*")):
        if p.is_symlink():
            found[p.relative_to(root).as_posix()] = "-> " + str(p.readlink())
        elif p.is_file():
            found[p.relative_to(root).as_posix()] = hashlib.sha256(p.read_bytes()).hexdigest()
        else:
            found[p.relative_to(root).as_posix() + "/"] = ""
    return found


def run(args: list[str], seconds: int = SECONDS_PER_RUN) -> tuple[int, str]:
    err = io.StringIO()
    previous = signal.signal(signal.SIGALRM, _alarm)
    signal.alarm(seconds)
    try:
        with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
            code = main(args)
    except Overtime:
        raise AssertionError(f"policyc {' '.join(args[:1])} took more than {seconds} s") from None
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)
    return code, err.getvalue()


def check_case(case: Case, workspace: Path) -> None:
    """Write `case` under `workspace`, run validate and a build, and assert the rule."""
    source, output = workspace / "src", workspace / "out"
    for name, data in case.files.items():
        path = source / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    (workspace / "elsewhere.txt").write_text("not policyc's\n", encoding="utf-8")
    earlier = {".policyc-output": "made by policyc\n", "index.html": "<p>earlier</p>\n"}
    output.mkdir()
    for name, text in earlier.items():
        (output / name).write_text(text, encoding="utf-8")
    before_sources, before_output = digest(source), digest(output)
    outside = {p for p in digest(workspace) if not p.startswith("out/")}

    formats = ["--format", "all" if case.build_pdf else "html", "--jobs", "1"]
    for args in (["validate", "--source", str(source)], ["status", "--source", str(source), "--today", "2026-11-22"],
                 ["build", "--source", str(source), "--output", str(output), "--today", "2026-11-22", *formats]):
        code, err = run(args)
        assert "Traceback" not in err and "internal error" not in err, f"{args[0]}: exit {code}\n{err[-3000:]}"
        assert code in (0, 1), f"{args[0]}: exit {code}\n{err[-3000:]}"
        if code == 1:
            assert LOCATED.search(err) or "policyc: error:" in err, f"{args[0]}: unlocated\n{err[-3000:]}"
        assert digest(source) == before_sources, f"{args[0]} changed the sources"
        if args[0] == "build" and code != 0:
            assert digest(output) == before_output, "a failed build changed the earlier output"
        now = {p for p in digest(workspace) if not p.startswith("out/")}
        assert now == outside, f"{args[0]} wrote outside the output folder: {sorted(now ^ outside)}"
