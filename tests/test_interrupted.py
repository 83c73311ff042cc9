"""A build stopped halfway leaves the previous output untouched; the same sources give the same bytes."""

from __future__ import annotations

import hashlib
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import EXAMPLE, ROOT


def digest_tree(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def build(out: Path, *extra: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, str(ROOT / "build.py"), "--source", str(EXAMPLE), "--output", str(out),
                             "--today", "2026-11-22", *extra], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


@pytest.mark.parametrize("how", [signal.SIGTERM, signal.SIGKILL])
def test_a_build_stopped_halfway_leaves_the_previous_output(example_output, tmp_path, how):
    out = tmp_path / "output"
    shutil.copytree(example_output, out)
    before = digest_tree(out)
    process = build(out)
    deadline = time.time() + 120
    staging = None
    while time.time() < deadline and process.poll() is None:  # wait until documents are being written
        found = [p for p in tmp_path.glob(".output.staging-*") if any(p.rglob("*.pdf"))]
        if found:
            staging = found[0]
            break
        time.sleep(0.05)
    assert staging is not None, "the build finished before it could be stopped"
    os.kill(process.pid, how)
    process.wait(timeout=60)
    assert process.returncode != 0
    assert digest_tree(out) == before
    if how == signal.SIGTERM:  # a polite stop cleans up after itself
        assert not list(tmp_path.glob(".output.*")), process.stderr.read()


def test_the_same_sources_give_byte_identical_files(example_output, tmp_path):
    """The session's build rendered on every core; this one on one process. Same bytes."""
    out = tmp_path / "again"
    process = build(out, "-q", "--jobs", "1")
    assert process.wait(timeout=300) == 0, process.stderr.read()
    first, second = digest_tree(example_output), digest_tree(out)
    assert first.keys() == second.keys()
    differing = [name for name in first if first[name] != second[name]]
    assert differing == []


def test_sigterm_to_the_whole_process_group_mid_render_ends_the_build_and_cleans_up(example_output, tmp_path):
    """As `timeout` or a service manager stops a build: every process gets SIGTERM at once.

    Workers die holding the task queue's lock; the parent must still end (not wait on a
    pool for ever), remove its staging folder and leave the previous output as it was.
    """
    out = tmp_path / "output"
    shutil.copytree(example_output, out)
    before = digest_tree(out)
    process = subprocess.Popen([sys.executable, str(ROOT / "build.py"), "--source", str(EXAMPLE), "--output",
                                str(out), "--today", "2026-11-22", "--format", "pdf", "--jobs", "2"],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True)
    deadline = time.time() + 120
    while time.time() < deadline and process.poll() is None:
        if any(p for p in tmp_path.glob(".output.staging-*") if any(p.rglob("*.pdf"))):
            break
        time.sleep(0.05)
    assert process.poll() is None, "the build finished before it could be stopped"
    os.killpg(process.pid, signal.SIGTERM)
    process.wait(timeout=30)  # within seconds; never waiting for ever on dead workers
    assert process.returncode != 0
    assert digest_tree(out) == before
    assert not list(tmp_path.glob(".output.*")), process.stderr.read()
