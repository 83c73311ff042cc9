"""Hostile and careless source trees, and the one rule every run on them must keep.

Used by tests/test_hostile.py and by scripts/fuzz.py: a run ends in exit 0, or exit 1
with a located message; never an internal error or traceback; within a time and memory
bound; nothing written outside the output folder; sources byte-identical; and a failed
build leaves the previous output byte-identical.
"""

from __future__ import annotations

import hashlib
import os
import resource
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LOCATED = r"^[^\s:][^:\n]*:\d+:\d+: "


def tree_digest(root: Path) -> dict[str, str]:
    found = {}
    for p in sorted(root.rglob("*")):
        if p.is_symlink():
            found[str(p.relative_to(root))] = "-> " + os.readlink(p)
        elif p.is_file():
            found[str(p.relative_to(root))] = hashlib.sha256(p.read_bytes()).hexdigest()
    return found


@dataclass
class Outcome:
    code: int
    err: str
    seconds_limit_hit: bool = False


def _limit_memory(megabytes: int):
    def apply() -> None:
        size = megabytes * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (size, size))
    return apply


def run_policyc(args: list[str], cwd: Path, timeout: float = 60, memory_mb: int = 3000) -> Outcome:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    try:
        done = subprocess.run([sys.executable, "-m", "policyc", *args], cwd=cwd, env=env, capture_output=True,
                              text=True, timeout=timeout, preexec_fn=_limit_memory(memory_mb))
    except subprocess.TimeoutExpired as exc:
        return Outcome(-1, (exc.stderr or b"").decode() if isinstance(exc.stderr, bytes) else (exc.stderr or ""), True)
    return Outcome(done.returncode, done.stderr)


def check_run(workspace: Path, source: Path, output: Path, args: list[str], timeout: float = 60) -> Outcome:
    """Run policyc on `source` and assert the rule; returns the outcome for further checks."""
    import re
    before_src = tree_digest(source)
    before_out = tree_digest(output) if output.exists() else None
    before_ws = {p for p in workspace.rglob("*")}
    outcome = run_policyc([*args, "--source", str(source), "--output", str(output)], workspace, timeout)
    assert not outcome.seconds_limit_hit, f"did not finish in {timeout} s: {args}"
    assert "Traceback" not in outcome.err, outcome.err
    assert outcome.code in (0, 1), f"exit {outcome.code}:\n{outcome.err}"
    if outcome.code == 1:
        assert re.search(LOCATED, outcome.err, re.M) or outcome.err.startswith("policyc: error:"), outcome.err
    assert tree_digest(source) == before_src, "the sources changed"
    if outcome.code != 0 and before_out is not None:
        assert tree_digest(output) == before_out, "a failed build changed the previous output"
    allowed = (output.resolve(), output.resolve().parent)
    for path in set(workspace.rglob("*")) - before_ws:
        real = path.resolve() if not path.is_symlink() else path.parent.resolve() / path.name
        assert output.resolve() in real.parents or real == output.resolve() or \
            real.name.startswith(f".{output.name}."), f"wrote outside the output folder: {path}"
    del allowed
    return outcome
