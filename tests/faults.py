"""Kill policyc outright (SIGKILL) at its Nth write to the file system, and hold what it leaves to the rule.

The rule: after the kill, the output is the previous build's or the new one's, byte for byte,
never a mixture; the next command that reads the sources finishes or takes back whatever the
killed one left, after which the sources are exactly as before the command or exactly as after
a complete run (by tree digest); and that next command, and the same command run again, succeed
with no traceback.

How the moment is chosen: run as `python -m tests.faults --root FOLDER --at N -- ARGS`, this
module runs `policyc ARGS` with a Python audit hook (sys.addaudithook) that counts every
operation that changes a file or folder under FOLDER (an open for writing, a rename, a removal,
a folder made or removed) and kills the process with SIGKILL just before the Nth. No code in
policyc knows of it: there is no environment variable or switch to leave on by mistake, and the
count is the same on every run of the same command on the same tree (builds run with --jobs 1,
so no worker process writes), so a seed picks the same moments every time.
tests/test_faults.py runs a few dozen moments; scripts/faults.py runs hundreds.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import os
import random
import shutil
import signal
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

ROOT = Path(__file__).resolve().parent.parent
TODAY = "2026-11-22"
_WRITING_FLAGS = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_TRUNC | os.O_APPEND
_CHANGES = {"os.rename", "os.remove", "os.rmdir", "os.mkdir", "os.truncate", "os.link", "os.symlink",
            "shutil.copyfile", "shutil.rmtree", "shutil.move"}


def _install(root: str, at: int) -> Callable[[], int]:
    """Count writes under `root`; SIGKILL just before the `at`th (0: never). Returns the count so far."""
    count = [0]

    def hook(event: str, args: tuple) -> None:
        if event == "open":
            if not isinstance(args[2], int) or not args[2] & _WRITING_FLAGS:
                return
        elif event not in _CHANGES:
            return
        path = args[0]
        if not isinstance(path, (str, bytes, os.PathLike)):
            return  # a file descriptor: its open was counted
        if not os.path.abspath(os.fsdecode(path)).startswith(root):
            return
        count[0] += 1
        if count[0] == at:
            os.kill(os.getpid(), signal.SIGKILL)

    sys.addaudithook(hook)
    return lambda: count[0]


def _main(argv: list[str]) -> int:
    split = argv.index("--")
    own, args = argv[:split], argv[split + 1:]
    root = os.path.abspath(own[own.index("--root") + 1]) + os.sep
    at = int(own[own.index("--at") + 1])
    from policyc.cli import main  # imported before the hook, so no module's own writes are counted
    counted = _install(root, at)
    code = main(args)
    print(f"faults: {counted()} writes", file=sys.stderr)
    return code


@dataclass
class Killed:
    code: int  # -9 when the kill came
    err: str

    @property
    def writes(self) -> int:
        line = [x for x in self.err.splitlines() if x.startswith("faults: ")]
        return int(line[-1].split()[1]) if line else -1


def run_killed(root: Path, at: int, args: list[str]) -> Killed:
    """`policyc ARGS` in its own process, killed just before its `at`th write under `root` (0: never)."""
    env = {**os.environ, "PYTHONPATH": str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", "")}
    done = subprocess.run([sys.executable, "-m", "tests.faults", "--root", str(root), "--at", str(at), "--",
                           *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)
    return Killed(done.returncode, done.stderr)


def run_here(args: list[str]) -> tuple[int, str]:
    """`policyc ARGS` in this process: the next command after a kill."""
    from policyc.cli import main
    err = io.StringIO()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
        code = main(args)
    return code, err.getvalue()


def digest(root: Path) -> dict[str, str]:
    """Every file under `root` (hidden ones too) with a hash of its bytes."""
    return {p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file()} if root.exists() else {}


# --- the commands killed ---------------------------------------------------------------------

BY = ["--by", "Ann Chair, Chair of Governors", "--summary", "Annual review"]


def _sources(work: Path) -> Path:
    from tests.helpers import POLICY, SCHOOL, SCHOOLS, TRUST, write_tree
    src = write_tree(work / "src", {"trust.yaml": TRUST, "policies/social-media.yaml": POLICY,
                                    "schools/oak-primary.yaml": SCHOOL})
    return write_tree(src, {k: v for k, v in SCHOOLS.items() if v})


def _prepare_build(work: Path) -> None:
    src = _sources(work)
    code, err = run_here(_build_args(work))
    assert code == 0, err
    policy = src / "policies" / "social-media.yaml"
    text = policy.read_text(encoding="utf-8")
    assert "In person or by email." in text
    policy.write_text(text.replace("In person or by email.", "In person, by phone or by email."), encoding="utf-8")


def _build_args(work: Path) -> list[str]:
    return ["build", "--source", str(work / "src"), "--output", str(work / "out"), "--format", "html",
            "--jobs", "1", "--today", TODAY, "-q"]


def _prepare_import(work: Path) -> None:
    from tests.import_corpus.corpus import documents, write_docx
    _sources(work)
    [document] = documents(["bucks-whistleblowing"])
    write_docx(document, work / "whistleblowing.docx")


@dataclass(frozen=True)
class Command:
    name: str
    prepare: Callable[[Path], None]
    args: Callable[[Path], list[str]]
    writes_sources: bool  # ratify and import write the sources; a build writes only its output


COMMANDS = [
    Command("ratify", _sources, lambda w: ["ratify", "--source", str(w / "src"), "--policy", "social-media",
                                           "--all-schools", "--date", "2026-11-20", *BY, "--today", TODAY], True),
    Command("import", _prepare_import, lambda w: ["import", str(w / "whistleblowing.docx"), "--source",
                                                  str(w / "src"), "--school", "oak-primary"], True),
    Command("build", _prepare_build, _build_args, False),
]


@dataclass
class Baseline:
    """One command's tree before it, after a complete run of it, and how many writes that run made."""

    command: Command
    template: Path
    before: dict[str, str]
    after: dict[str, str]
    writes: int


def baseline(command: Command, work: Path, templates: Path) -> Baseline:
    """Prepared at `work` (every run happens there, so paths written into files never differ), kept at a copy."""
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    command.prepare(work)
    template = templates / command.name
    shutil.rmtree(template, ignore_errors=True)
    shutil.copytree(work, template, symlinks=True)
    before = digest(work)
    done = run_killed(work, 0, command.args(work))
    assert done.code == 0 and done.writes > 0, f"{command.name}: a complete run failed\n{done.err[-3000:]}"
    return Baseline(command, template, before, digest(work), done.writes)


@dataclass
class Point:
    command: str
    at: int
    problems: list[str] = field(default_factory=list)
    outcome: str = ""  # the sources once the next command has read them: "before" or "after"
    output: str = ""  # a build's output just after the kill: "previous" or "new"


def try_point(base: Baseline, work: Path, at: int) -> Point:
    """Restore the tree, kill the command at its `at`th write, and check the rule."""
    command, point = base.command, Point(base.command.name, at)
    shutil.rmtree(work, ignore_errors=True)
    shutil.copytree(base.template, work, symlinks=True)
    killed = run_killed(work, at, command.args(work))
    if killed.code != -signal.SIGKILL:
        point.problems.append(f"not killed (exit {killed.code}): {killed.err[-500:]}")
        return point
    if "Traceback" in killed.err:
        point.problems.append(f"a traceback before the kill: {killed.err[-1500:]}")
    if not command.writes_sources:  # the output as it was, or the new one whole, before anything else runs
        out_now = {k: v for k, v in digest(work).items() if k.startswith("out/")}
        old = {k: v for k, v in base.before.items() if k.startswith("out/")}
        new = {k: v for k, v in base.after.items() if k.startswith("out/")}
        if out_now not in (old, new):
            point.problems.append("the output is a mixture: " + _differences(out_now, old, new))
        point.output = "new" if out_now == new and out_now != old else "previous"
    code, err = run_here(["validate", "--source", str(work / "src")])  # the next command that reads the sources
    if code != 0 or "Traceback" in err:
        point.problems.append(f"the next validate gave exit {code}: {err[-1500:]}")
    sources = {k: v for k, v in digest(work).items() if k.startswith("src/")}
    src_before = {k: v for k, v in base.before.items() if k.startswith("src/")}
    src_after = {k: v for k, v in base.after.items() if k.startswith("src/")}
    if sources == src_after and command.writes_sources:
        point.outcome = "after"
    elif sources == src_before:
        point.outcome = "before"
    else:
        point.problems.append("the sources are neither as before nor as after: "
                              + _differences(sources, src_before, src_after))
        return point
    code, err = run_here(command.args(work))  # the same command again: it succeeds and makes the same tree
    if code != 0 and not (command.name == "import" and point.outcome == "after" and code == 2):
        point.problems.append(f"the command run again gave exit {code}: {err[-1500:]}")
    if "Traceback" in err:
        point.problems.append(f"a traceback when run again: {err[-1500:]}")
    if point.outcome == "before" and digest(work) != base.after:
        point.problems.append("run again after the kill, it did not give what a complete run gives: "
                              + _differences(digest(work), base.after, base.after))
    return point


def _differences(now: dict, one: dict, other: dict) -> str:
    odd = sorted(k for k in set(now) | set(one) | set(other) if now.get(k) not in (one.get(k), other.get(k)))
    return ", ".join(odd[:8]) + (" ..." if len(odd) > 8 else "")


def moments(base: Baseline, count: int, rng: random.Random) -> list[int]:
    """`count` writes to kill at, drawn by `rng`: the first and last always, the rest at random."""
    picked = {1, base.writes} if count >= 2 else {rng.randint(1, base.writes)}
    while len(picked) < min(count, base.writes):
        picked.add(rng.randint(1, base.writes))
    return sorted(picked)


if __name__ == "__main__":
    sys.exit(_main(sys.argv[1:]))
