"""A build stopped halfway leaves the previous output untouched; the same sources give the same bytes."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.helpers import EXAMPLE, POLICY, ROOT, SCHOOL, TRUST, digest_tree, write_tree

pytestmark = [pytest.mark.pdf, pytest.mark.slow]


def build(out: Path, *extra: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, str(ROOT / "build.py"), "--source", str(EXAMPLE), "--output", str(out),
                             "--today", "2026-11-22", *extra], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


@pytest.mark.parametrize("how", [signal.SIGTERM, signal.SIGKILL])
def test_a_build_stopped_halfway_leaves_the_previous_output(example_output, tmp_path, how):
    out = tmp_path / "output"
    shutil.copytree(example_output, out)
    before = digest_tree(out)
    # --no-cache: every document is rendered again, so the build is surely stopped while
    # rendering (the copied output's cache would otherwise let it finish in a moment)
    process = build(out, "--no-cache")
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
    # Even a build killed outright leaves no rendering process behind.
    deadline = time.time() + 10
    while _processes_writing_to(out) and time.time() < deadline:
        time.sleep(0.2)
    assert _processes_writing_to(out) == []


def _processes_writing_to(out: Path) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            cmdline = (entry / "cmdline").read_bytes().split(b"\0")
            state = (entry / "stat").read_text().rsplit(")", 1)[1].split()[0]
        except OSError:
            continue
        if str(out).encode() in cmdline and state != "Z":
            found.append(int(entry.name))
    return found


def test_the_same_sources_give_byte_identical_files(example_output, tmp_path):
    """The session's build rendered on every core; this one on one process. Same bytes."""
    out = tmp_path / "again"
    process = build(out, "-q", "--jobs", "1")
    assert process.wait(timeout=300) == 0, process.stderr.read()
    first, second = digest_tree(example_output), digest_tree(out)
    # The cache is sealed with a secret of its own output folder, so its entries are named
    # differently in each; what they are kept for (the keys) and every published file agree.
    cached = [{name.split("/")[-1].split(".")[0] for name in tree if name.startswith(".policyc-cache/")}
              for tree in (first, second)]
    assert cached[0] == cached[1] and len(cached[0]) > 10
    first, second = ({k: v for k, v in tree.items() if not k.startswith(".policyc-cache/")} for tree in (first, second))
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


def _long_policy_tree(root: Path, clauses: int = 600) -> Path:
    """One school, one long policy: its HTML is written in a moment, its PDF takes a while."""
    words = " ".join(f"word{i}" for i in range(120))
    long = "  - id: long\n    kind: scope\n    title: A long section\n    clauses:\n" + "".join(
        f"      - id: c{i}\n        text: Clause {i} {words}.\n" for i in range(clauses))
    policy = POLICY.replace("  - id: changes\n", long + "  - id: changes\n")
    return write_tree(root, {"trust.yaml": TRUST, "policies/social-media.yaml": policy, "schools/oak-primary.yaml": SCHOOL})


def _group_ended(group: int, within: float) -> bool:
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        try:
            os.killpg(group, 0)
        except ProcessLookupError:
            return True
        time.sleep(0.05)
    return False


@pytest.mark.parametrize("how", ["SIGTERM to the build", "Ctrl-C"])
def test_a_stop_while_a_worker_renders_a_long_pdf_ends_the_build_at_once(tmp_path, how):
    """Ctrl-C reaches every process of the build, `kill` only the parent: either way it ends at once,
    with no rendering process left running (the group case is tested above)."""
    src = _long_policy_tree(tmp_path / "src")
    out = write_tree(tmp_path / "out", {".policyc-output": "made by policyc\n", "index.html": "<p>before</p>\n"})
    before = digest_tree(out)
    process = subprocess.Popen([sys.executable, str(ROOT / "build.py"), "--source", str(src), "--output", str(out),
                                "--jobs", "2"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                               start_new_session=True)
    try:
        deadline, staging = time.monotonic() + 180, []
        while time.monotonic() < deadline and process.poll() is None:  # the HTML is done, the PDF is rendering
            staging = [p for p in tmp_path.glob(".out.staging-*") if any(p.rglob("*.html"))]
            if staging:
                break
            time.sleep(0.05)
        assert staging and not any(staging[0].rglob("*.pdf")), "the build finished before it could be stopped"
        if how == "Ctrl-C":
            os.killpg(process.pid, signal.SIGINT)
        else:
            os.kill(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=5)  # a bound on stopping, not a speed test
        except subprocess.TimeoutExpired:
            pytest.fail(f"the build was still running 5 s after {how}")
        assert _group_ended(process.pid, 5), "a rendering process outlived the build"
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
    err = process.stderr.read()
    assert process.returncode == 130, err
    assert "Traceback" not in err and "Interrupted" in err, err
    assert digest_tree(out) == before
    assert not list(tmp_path.glob(".out.*")), "the staging folder was left behind"


def test_a_parallel_build_leaves_nothing_in_the_temporary_folder(mini, tmp_path):
    """WeasyPrint keeps each document's fonts in a temporary folder that its finaliser
    removes; a worker process ends without running finalisers, so it collects first."""
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    process = subprocess.Popen([sys.executable, str(ROOT / "build.py"), "--source", str(mini), "--output",
                                str(tmp_path / "out"), "--today", "2026-11-22", "--jobs", "2", "-q"],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                               env={**os.environ, "TMPDIR": str(scratch)})
    assert process.wait(timeout=300) == 0, process.stderr.read()
    assert list((tmp_path / "out" / "oak-primary").glob("*.pdf"))
    assert sorted(p.name for p in scratch.iterdir()) == []


def test_a_build_on_one_process_leaves_nothing_in_the_temporary_folder(mini, tmp_path):
    """The house style's fonts are loaded once per process and kept: their folder goes at exit."""
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    process = subprocess.Popen([sys.executable, str(ROOT / "build.py"), "--source", str(mini), "--output",
                                str(tmp_path / "out"), "--today", "2026-11-22", "--jobs", "1", "-q"],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                               env={**os.environ, "TMPDIR": str(scratch)})
    assert process.wait(timeout=300) == 0, process.stderr.read()
    assert list((tmp_path / "out" / "oak-primary").glob("*.pdf"))
    assert sorted(p.name for p in scratch.iterdir()) == []
