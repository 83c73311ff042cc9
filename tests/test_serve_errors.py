"""serve's own mistakes (#21.4): a plain message and exit 2 before anything is built; Ctrl-C
stops with one line. Each runs the real command."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from tests.helpers import POLICY, SCHOOL, TRUST, write_tree

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def project(tmp_path):
    write_tree(tmp_path / "policy_src", {"trust.yaml": TRUST, "policies/social-media.yaml": POLICY,
                                         "schools/oak-primary.yaml": SCHOOL})
    return tmp_path


def _serve(project: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "policyc", "serve", "--today", "2026-11-22", *args], cwd=project,
                          env={**os.environ, "PYTHONPATH": str(ROOT)}, capture_output=True, text=True, timeout=120)


def _refused(done: subprocess.CompletedProcess, project: Path, wanted: str) -> None:
    assert done.returncode == 2, done.stderr
    assert wanted in done.stderr and "Traceback" not in done.stderr, done.stderr
    assert not (project / "output" / "index.html").exists()  # nothing was built


def test_a_port_in_use_is_refused_before_the_build_with_a_free_one_named(project):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        done = _serve(project, "--port", str(port))
    _refused(done, project, f"port {port} on 127.0.0.1 is already in use")
    assert "--port 0" in done.stderr and re.search(r"--port \d+, the next free one", done.stderr)


def test_a_port_out_of_range_is_a_usage_error(project):
    _refused(_serve(project, "--port", "99999"), project, "give a port from 0 to 65535")


def test_an_address_that_cannot_be_bound_is_a_usage_error(project):
    done = _serve(project, "--bind", "999.1.1.1", "--port", "0")
    _refused(done, project, "--bind 999.1.1.1")
    done = _serve(project, "--bind", "192.0.2.1", "--port", "0")  # TEST-NET-1: never this computer's
    _refused(done, project, "cannot listen on 192.0.2.1")


def test_ctrl_c_stops_with_one_line(project):
    process = subprocess.Popen([sys.executable, "-m", "policyc", "serve", "--port", "0", "--today", "2026-11-22"],
                               cwd=project, env={**os.environ, "PYTHONPATH": str(ROOT)},
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert "Serving on" in process.stdout.readline()
    process.send_signal(signal.SIGINT)
    out, err = process.communicate(timeout=30)
    assert process.returncode in (0, 130)
    lines = [line for line in err.splitlines() if line.strip()]
    assert lines[-1] == "Stopped." and "Traceback" not in err and "KeyboardInterrupt" not in err
    assert err.count("Stopped.") == 1


def test_open_opens_the_browser_on_the_served_address(project, tmp_path):
    opened = tmp_path / "opened.txt"
    browser = tmp_path / "browser.sh"
    browser.write_text(f"#!/bin/sh\necho \"$1\" > {opened}\n", encoding="utf-8")
    browser.chmod(0o755)
    process = subprocess.Popen([sys.executable, "-m", "policyc", "serve", "--port", "0", "--open",
                                "--today", "2026-11-22"], cwd=project,
                               env={**os.environ, "PYTHONPATH": str(ROOT), "BROWSER": str(browser)},
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        url = re.search(r"Serving on (\S+)", process.stdout.readline()).group(1)
        for _ in range(100):
            if opened.exists() and opened.read_text().strip():
                break
            time.sleep(0.1)
        assert opened.read_text().strip() == url
    finally:
        process.terminate()
        process.wait(timeout=20)


def test_a_browser_command_that_stays_open_does_not_hold_up_the_rebuilds(project, tmp_path):
    """webbrowser waits for a BROWSER command to end; a browser that stays open stopped every rebuild."""
    browser = tmp_path / "browser.sh"
    browser.write_text("#!/bin/sh\nsleep 30\n", encoding="utf-8")
    browser.chmod(0o755)
    process = subprocess.Popen([sys.executable, "-m", "policyc", "serve", "--port", "0", "--open",
                                "--today", "2026-11-22"], cwd=project,
                               env={**os.environ, "PYTHONPATH": str(ROOT), "BROWSER": str(browser)},
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        url = re.search(r"Serving on (\S+)", process.stdout.readline()).group(1)
        policy = project / "policy_src" / "policies" / "social-media.yaml"
        policy.write_text(policy.read_text().replace("In person or by email.", "In person or by letter."))
        deadline = time.monotonic() + 20
        page = ""
        while "by letter" not in page and time.monotonic() < deadline:
            time.sleep(0.3)
            with urllib.request.urlopen(url + "oak-primary/social-media.html", timeout=10) as response:
                page = response.read().decode("utf-8")
        assert "by letter" in page
    finally:
        process.terminate()
        process.wait(timeout=20)
