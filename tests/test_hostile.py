"""Every kind of hostile or careless source tree ends in exit 0 or a located exit 1, never a crash.

Each case is a real source tree on disk, run through `validate` and an HTML build in a
child process with a time and memory bound (tests/hostile.py states the rule).
"""

from __future__ import annotations

import os
import textwrap
from pathlib import Path
from typing import Callable

import pytest

from tests.helpers import POLICY, SCHOOL, TRUST, write_tree
from tests.hostile import check_run

pytestmark = pytest.mark.slow

P, S = "policies/social-media.yaml", "schools/oak-primary.yaml"


def _edit(src: Path, name: str, old: str, new: str) -> None:
    path = src / name
    text = path.read_text()
    assert old in text, old
    path.write_text(text.replace(old, new, 1))


def _append(src: Path, name: str, text: str) -> None:
    with open(src / name, "a", encoding="utf-8") as stream:
        stream.write(textwrap.dedent(text))


def _raw(src: Path, name: str, text: str) -> None:
    with open(src / name, "a", encoding="utf-8") as stream:
        stream.write(text)


def _clause_text(src: Path, text: str) -> None:
    _edit(src, P, "        text: Tell the {{ role.dsl }} at once.", f"        text: {text}")


def _deep_clauses(src: Path, depth: int = 60) -> None:
    lines, indent = [], "        "
    for level in range(depth):
        lines.append(f"{indent}clauses:\n{indent}  - id: deep-{level}\n{indent}    text: Level {level}.")
        indent += "    "
    _edit(src, P, "            text: In person or by email.\n",
          "            text: In person or by email.\n" + "\n".join("    " + l for l in "\n".join(lines).split("\n")) + "\n")


def _fifo(src: Path) -> None:
    os.mkfifo(src / "schools" / "x.yaml")


def _link(target: str) -> Callable[[Path], None]:
    def make(src: Path) -> None:
        (src / "schools" / "linked.yaml").symlink_to(target)
    return make


def _outside_link(src: Path) -> None:
    secret = src.parent / "secret.yaml"
    secret.write_text("password: hunter2\nname: [unclosed\n")
    (src / "schools" / "linked.yaml").symlink_to(secret)


def _bytes(src: Path, data: bytes) -> None:
    (src / S).write_bytes((src / S).read_bytes() + data)


def _socket(src: Path) -> None:
    import socket
    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    server.bind(str(src / "schools" / "sock.yaml"))
    server.close()  # the socket file stays on disk


def _policies_linked_outside(src: Path) -> None:
    elsewhere = src.parent / "elsewhere"
    (src / "policies").rename(elsewhere)
    (src / "policies").symlink_to(elsewhere)


def _big_file(src: Path) -> None:
    _append(src, S, "notes: |\n" + "  a line of words to fill the file\n" * 80000)


CASES: dict[str, Callable[[Path], None]] = {
    "alias bomb in values": lambda s: _append(s, S, "    values:\n" + "".join(
        f"      l{i}: &l{i} [{', '.join([f'*l{i-1}'] * 9) if i else 'lol'}]\n" for i in range(9))),
    "self-referencing alias": lambda s: _append(s, S, "other: &a [*a]\n"),
    "1,100 levels of nesting": lambda s: _append(s, S, "deep: " + "[" * 1100 + "]" * 1100 + "\n"),
    "60 levels of sub-clauses": _deep_clauses,
    "40 KB of unclosed {{": lambda s: _clause_text(s, '"' + "{{ " * 13000 + '"'),
    "60 KB of <a:": lambda s: _clause_text(s, '"' + "<a:" * 20000 + '"'),
    "100,000-row table": lambda s: _clause_text(s, '"| a | b |\\n|---|---|\\n' + "| x | y |\\n" * 100000 + '"'),
    "600-row table": lambda s: _clause_text(s, '"| a | b |\\n|---|---|\\n' + "| x | y |\\n" * 600 + '"'),
    "1.9 MB clause": lambda s: _clause_text(s, "word " * 380000),
    "12 levels of list nesting": lambda s: _clause_text(s, '"' + "".join("  " * i + "- item\\n" for i in range(12)) + '"'),
    "FIFO named x.yaml": _fifo,
    "school file linked to /dev/zero": _link("/dev/zero"),
    "school file linked outside the sources": _outside_link,
    "clause under add indented too little": lambda s: _raw(s, S, "    add:\n      - after: purpose\n        clause:\n"
                                                                  "        id: extra\n        text: Extra words.\n"),
    "afer for after": lambda s: _raw(s, S, "    add:\n      - afer: purpose\n        clause: {id: extra, text: Extra.}\n"),
    "ratified on 9999-12-31": lambda s: _edit(s, S, "date: 2026-10-01", "date: 9999-12-31"),
    "approving body holding [[see-note]]": lambda s: _append(s, S, "approving_body: Board [[see-note]]\n"),
    "impossible date 2022-02-30": lambda s: _edit(s, S, "date: 2026-10-01", "date: 2022-02-30"),
    "date written 30/09/2026": lambda s: _edit(s, S, "date: 2026-10-01", "date: 30/09/2026"),
    "not UTF-8": lambda s: _bytes(s, b"\nnote: caf\xe9\n"),
    "a control character": lambda s: _bytes(s, b"\nnote: bell\x07\n"),
    "javascript in a reference-style link": lambda s: _clause_text(s, '"See [the guide][r].\\n\\n[r]: javascript:alert(1)"'),
    "link to a missing anchor": lambda s: _clause_text(s, '"See [below](#no-such-place)."'),
    "unsafe link in the preamble": lambda s: _edit(s, P, "sections:\n", "preamble: '[x](javascript:alert(1))'\nsections:\n"),
    "slug with a trailing newline": lambda s: (s / S).rename(s / "schools" / "oak\n.yaml"),
    "socket named sock.yaml": _socket,
    "policies folder linked outside the sources": _policies_linked_outside,
    "school file linked to another inside the sources": lambda s: (s / "schools" / "twin.yaml").symlink_to(s / S),
    "2.8 MB school file": _big_file,
    "policy id ending in a newline": lambda s: _edit(s, P, "id: social-media", 'id: "social-media\\n"'),
    "ratified version ending in a newline": lambda s: _edit(s, S, "version: 1.10", 'version: "1.10\\n"'),
    "school file that is a folder": lambda s: (s / "schools" / "folder.yaml").mkdir(),
    "empty school file": lambda s: (s / "schools" / "empty.yaml").write_text(""),
    "a list where the trust mapping should be": lambda s: (s / "trust.yaml").write_text("- a\n- b\n"),
}


@pytest.fixture
def workspace(tmp_path: Path) -> tuple[Path, Path, Path]:
    src = write_tree(tmp_path / "src", {"trust.yaml": TRUST, P: POLICY, S: SCHOOL})
    out = write_tree(tmp_path / "out", {".policyc-output": "made by policyc\n", "index.html": "<p>before</p>\n"})
    return tmp_path, src, out


@pytest.mark.parametrize("case", list(CASES), ids=list(CASES))
def test_a_hostile_tree_ends_cleanly(workspace, case):
    tmp, src, out = workspace
    CASES[case](src)
    check_run(tmp, src, out, ["validate"])
    check_run(tmp, src, out, ["build", "--format", "html", "--jobs", "1"])
