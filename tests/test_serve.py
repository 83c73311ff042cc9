"""`policyc serve` as an editor uses it: a real server process, real HTTP, real file saves."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from tests.helpers import POLICY, SCHOOL, TRUST, write_tree

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parent.parent


def _get(url: str) -> str:
    with urllib.request.urlopen(url, timeout=10) as response:
        return response.read().decode("utf-8")


def _until(url: str, wanted: str, seconds: float = 60) -> str:
    deadline = time.monotonic() + seconds
    while True:
        page = _get(url)
        if wanted in page or time.monotonic() > deadline:
            return page
        time.sleep(0.3)


@pytest.fixture
def server(tmp_path):
    project = tmp_path / "trust"
    src = write_tree(project / "policy_src", {"trust.yaml": TRUST, "policies/social-media.yaml": POLICY,
                                              "schools/oak-primary.yaml": SCHOOL})
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    process = subprocess.Popen([sys.executable, "-m", "policyc", "serve", "--port", "0", "--today", "2026-11-22"],
                               cwd=project, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    line = process.stdout.readline()
    match = re.search(r"Serving on (http://127\.0\.0\.1:\d+/)", line)
    assert match, line + process.stderr.read()
    yield match.group(1), src, project
    process.terminate()
    assert process.wait(timeout=20) in (0, 130)


def test_serve_shows_each_save_and_shows_errors_instead_of_a_stale_page(server):
    url, src, project = server
    page_url = url + "oak-primary/social-media.html"
    page = _get(page_url)
    assert "Oak Primary School" in page and "__policyc/state" in page
    assert "__policyc" not in (project / "output" / "oak-primary" / "social-media.html").read_text()

    policy = src / "policies" / "social-media.yaml"
    policy.write_text(policy.read_text().replace("In person or by email.", "In person, by phone or by email."))
    assert "In person, by phone or by email." in _until(page_url, "by phone")

    policy.write_text(policy.read_text().replace("    title: Key principles\n", "    title: Key: principles\n"))
    broken = _until(page_url, "The sources have")
    assert re.search(r"policies/social-media\.yaml:\d+:\d+: a colon followed by a space inside a value", broken)
    assert "by phone" not in broken  # not the stale page

    policy.write_text(policy.read_text().replace("    title: Key: principles\n", "    title: Key principles\n"))
    assert "by phone" in _until(page_url, "by phone")


def test_serve_listens_on_this_computer_only(server):
    url, _, _ = server
    assert url.startswith("http://127.0.0.1:")


def test_a_save_made_as_soon_as_the_address_is_shown_is_seen(server):
    url, src, _ = server
    policy = src / "policies" / "social-media.yaml"  # no request first: save at once
    policy.write_text(policy.read_text().replace("In person or by email.", "In person or by letter."))
    assert "by letter" in _until(url + "oak-primary/social-media.html", "by letter", seconds=30)
