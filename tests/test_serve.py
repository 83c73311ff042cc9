"""`policyc serve` as an editor uses it: a real server process, real HTTP, real file saves."""

from __future__ import annotations

import http.client
import json
import os
import re
import signal
import socket
import struct
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from policyc.serve import BuildState, rebuild
from tests.helpers import POLICY, RATIFY, SCHOOL, TODAY, TRUST, write_tree

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


def _ask(url: str, path: str, host: str | None = None) -> tuple[int, str]:
    """GET `path` with this Host header (the address's own when None): the status and the body."""
    where = re.match(r"http://([^/]+)/", url).group(1)
    connection = http.client.HTTPConnection(where, timeout=10)
    try:
        connection.putrequest("GET", path, skip_host=True)
        connection.putheader("Host", host or where)
        connection.endheaders()
        response = connection.getresponse()
        return response.status, response.read().decode("utf-8")
    finally:
        connection.close()


ENV = {**os.environ, "PYTHONPATH": str(ROOT)}


@pytest.fixture
def served(tmp_path):
    """The server process, with its address, source folder and project folder."""
    project = tmp_path / "trust"
    src = write_tree(project / "policy_src", {"trust.yaml": TRUST, "policies/social-media.yaml": POLICY,
                                              "schools/oak-primary.yaml": SCHOOL})
    process = subprocess.Popen([sys.executable, "-m", "policyc", "serve", "--port", "0", "--today", TODAY],
                               cwd=project, env=ENV, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    line = process.stdout.readline()
    match = re.search(r"Serving on (http://127\.0\.0\.1:\d+/)", line)
    assert match, line + process.stderr.read()
    yield process, match.group(1), src, project
    if process.poll() is None:
        _stop(process)


@pytest.fixture
def server(served):
    yield served[1:]


def _stop(process: subprocess.Popen) -> str:
    """Stop the server as Ctrl-C would; what its terminal showed."""
    process.send_signal(signal.SIGINT)
    _, err = process.communicate(timeout=20)
    assert process.returncode in (0, 130), err
    return err


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


def test_a_link_inside_the_output_folder_to_a_file_outside_it_is_not_followed(server, tmp_path):
    url, _, project = server
    secret = tmp_path / "elsewhere"
    secret.mkdir()
    (secret / "passwd").write_text("root:x:0:0\n")
    (project / "output" / "x").symlink_to(secret)
    (project / "output" / "y.txt").symlink_to(secret / "passwd")
    for path in ("/x/passwd", "/y.txt", "/x/"):
        status, body = _ask(url, path)
        assert status == 404 and "root:x" not in body, (path, body)
    assert _ask(url, "/../elsewhere/passwd")[0] == 404
    assert _ask(url, "/%2e%2e/elsewhere/passwd")[0] == 404
    assert _ask(url, "/oak-primary/social-media.html")[0] == 200


def test_a_request_for_another_host_name_is_refused(server):
    """DNS rebinding: a page of evil.example that renamed itself to 127.0.0.1 asks by its own name."""
    url, _, _ = server
    port = url.rsplit(":", 1)[1].strip("/")
    for host in ("evil.example", f"evil.example:{port}", "127.0.0.1.evil.example", f"localhost:{int(port) + 1}"):
        for path in ("/review/oak-primary/social-media.html", "/__policyc/state", "/"):
            status, body = _ask(url, path, host)
            assert status == 421 and "Oak Primary" not in body and len(body) < 300, (host, path, body)
            assert "<" not in body  # plain words, not a page
    for host in ("localhost", f"localhost:{port}", "127.0.0.1", f"127.0.0.1:{port}", "[::1]", f"[::1]:{port}",
                 "LOCALHOST"):
        assert _ask(url, "/oak-primary/social-media.html", host)[0] == 200, host


def test_slow_clients_cannot_stop_a_normal_request_and_hang_ups_print_nothing(served):
    process, url, _, _ = served
    port = int(url.rsplit(":", 1)[1].strip("/"))
    started = time.monotonic()
    slow = []
    try:
        for i in range(300):  # half say nothing, half start a request and never finish it
            client = socket.create_connection(("127.0.0.1", port), timeout=5)
            if i % 2:
                client.sendall(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n")
            slow.append(client)
        status, page = _ask(url, "/oak-primary/social-media.html")
        assert status == 200 and "Oak Primary School" in page
        assert time.monotonic() - started < 8
    finally:
        for client in slow:  # hang up at once (a reset, as a closed browser tab can)
            client.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            client.close()
    for _ in range(20):  # ask, then hang up before the answer is read
        client = socket.create_connection(("127.0.0.1", port), timeout=5)
        client.sendall(b"GET /oak-primary/social-media.html HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        client.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        client.close()
    assert _ask(url, "/")[0] == 200
    time.sleep(0.5)
    terminal = _stop(process)
    assert "Traceback" not in terminal and "Error" not in terminal, terminal


def test_a_save_that_breaks_the_build_is_shown_and_the_next_good_save_is_served(server):
    """A reason naming a role the trust does not have once ended the server (a KeyError while rendering)."""
    url, src, project = server
    first = subprocess.run([sys.executable, "-m", "policyc", *RATIFY, "--date", "2026-01-10", "--by",
                            "Ann Chair, Chair of Governors", "--summary", "First", "--version", "2.0"],
                           cwd=project, env=ENV, capture_output=True, text=True, timeout=120)
    assert first.returncode == 0, first.stderr
    policy = src / "policies" / "social-media.yaml"
    page_url = url + "oak-primary/social-media.html"
    good = policy.read_text()
    policy.write_text(good.replace("    title: Key principles\n", '    title: "Key \\ud800 principles"\n'))
    broken = _until(page_url, "lone surrogate")
    assert re.search(r"policies/social-media\.yaml:\d+:\d+: a lone surrogate \(U\+D800\)", broken)
    policy.write_text(good.replace(
        'text: "You must not use social media to:"',
        'text: "You must never use social media to:"\n'
        '        change: {reason: "Asked for by the {{ role.headteachr }}", by: HR}'))
    broken = _until(page_url, "role.headteachr")
    assert re.search(r"policies/social-media\.yaml:\d+:\d+: unknown placeholder \{\{ role\.headteachr \}\}", broken)
    assert "did you mean" in broken and "headteacher" in broken
    policy.write_text(policy.read_text().replace("role.headteachr", "role.headteacher"))
    fixed = _until(url + "review/oak-primary/social-media.html", "Asked for by the Headteacher")
    assert "Asked for by the Headteacher" in fixed and "{{" not in fixed


def test_a_build_that_fails_by_a_bug_is_shown_and_the_next_save_builds_again():
    state, said = BuildState(), []

    def broken() -> None:
        raise KeyError("role.headteachr")

    rebuild(state, broken, said.append)  # once, this ended the server (exit 3)
    assert state.problems.startswith("policyc: internal error") and "KeyError: 'role.headteachr'" in state.problems
    assert "Traceback" in said[-1] and state.build == 1
    rebuild(state, lambda: None, said.append)
    assert state.problems == "" and state.build == 2 and said[-1] == "Rebuilt: no problems."


def test_a_pdf_serve_does_not_build_is_made_when_asked_for_and_a_browser_is_told_meanwhile(server):
    url, src, project = server
    page = _get(url + "oak-primary/social-media.html")
    assert re.search(r'Preview: <a href="social-media\.pdf">PDF</a> · <a href="social-media\.docx">Word</a>', page)
    assert page.index("Skip to main content") < page.index("Preview:")  # the skip link stays the first stop
    assert "Preview:" not in (project / "output" / "oak-primary" / "social-media.html").read_text()
    assert not (project / "output" / "oak-primary" / "social-media.pdf").exists()

    request = urllib.request.Request(url + "oak-primary/social-media.pdf", headers={"Accept": "text/html,*/*"})
    with urllib.request.urlopen(request, timeout=60) as response:
        first = response.read()
        kind = response.headers["Content-Type"]
    # A browser is shown what is being made, unless it was made within the first moments.
    assert kind == "application/pdf" and first.startswith(b"%PDF") or b"Making the PDF" in first
    with urllib.request.urlopen(url + "oak-primary/social-media.pdf", timeout=120) as response:  # not a browser: waits
        assert response.headers["Content-Type"] == "application/pdf"
        made = response.read()
    assert made.startswith(b"%PDF") and made == (project / "output" / "oak-primary" / "social-media.pdf").read_bytes()
    state = json.loads(_get(url + "__policyc/state?file=oak-primary/social-media.pdf"))
    assert state["making"] is False
    with pytest.raises(urllib.error.HTTPError) as missing:
        urllib.request.urlopen(url + "oak-primary/no-such-policy.pdf", timeout=30)
    assert missing.value.code == 404

    policy = src / "policies" / "social-media.yaml"  # a save outdates it: it goes, and is made again from the new text
    policy.write_text(policy.read_text().replace("In person or by email.", "In person, by phone or by email."))
    _until(url + "oak-primary/social-media.html", "by phone")
    with urllib.request.urlopen(url + "oak-primary/social-media.pdf", timeout=120) as response:
        assert response.read() != made
