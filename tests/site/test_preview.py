"""`policyc preview` runs Chromium and pdftoppm: each under a time limit, a failure a plain message."""

from __future__ import annotations

import os
import time
from pathlib import Path

from policyc.site import preview as previewing
from tests.helpers import TODAY


def _tools(folder: Path, chromium: str, pdftoppm: str = "exit 0") -> str:
    """A PATH whose chromium and pdftoppm are these shell scripts; the rest as it is."""
    folder.mkdir()
    for name, body in (("chromium", chromium), ("pdftoppm", pdftoppm)):
        script = folder / name
        script.write_text(f"#!/bin/sh\n{body}\n")
        script.chmod(0o755)
    return f"{folder}{os.pathsep}{os.environ.get('PATH', '')}"


def test_a_tool_that_hangs_is_stopped_with_everything_it_started(mini, run, tmp_path, monkeypatch):
    out = tmp_path / "output"
    assert run("build", "--source", mini, "--output", out, "--format", "html", "--today", TODAY).code == 0
    helper = tmp_path / "helper.pid"
    # Like Chromium, it starts a helper that holds its output open.
    monkeypatch.setenv("PATH", _tools(tmp_path / "bin", f"sleep 30 & echo $! > {helper}; sleep 30"))
    monkeypatch.setattr(previewing, "TOOL_SECONDS", 1)
    started = time.monotonic()
    result = run("preview", "--source", mini, "--output", out, "--to", tmp_path / "png")
    assert time.monotonic() - started < 10
    assert result.code == 1 and "Traceback" not in result.err
    assert "Chromium, drawing" in result.err and "took longer than 1 s and was stopped" in result.err
    assert not _running(int(helper.read_text()))


def _running(pid: int) -> bool:
    """Whether the process is alive, a second after it should have been killed (a zombie is not)."""
    for _ in range(20):
        try:
            state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
        except OSError:
            return False
        if state in ("Z", "X"):
            return False
        time.sleep(0.05)
    return True


def test_a_tool_that_fails_is_a_plain_message_with_what_it_said(mini, run, tmp_path, monkeypatch):
    out = tmp_path / "output"
    assert run("build", "--source", mini, "--output", out, "--format", "html", "--today", TODAY).code == 0
    monkeypatch.setenv("PATH", _tools(tmp_path / "bin", "echo 'cannot open display' >&2; exit 5"))
    result = run("preview", "--source", mini, "--output", out, "--to", tmp_path / "png")
    assert result.code == 1 and "Traceback" not in result.err
    assert "failed (exit 5): cannot open display" in result.err
