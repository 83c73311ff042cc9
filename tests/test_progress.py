"""What a build shows while it runs: a few plain lines in a log, every document when verbose,
a live line only for a person at a terminal."""

from __future__ import annotations

import io
import re
from pathlib import Path

from policyc.progress import Progress, interactive, link, slowest


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_a_log_gets_a_line_at_each_quarter_and_at_the_end():
    out = io.StringIO()
    progress = Progress(out, live=False)
    for done in range(0, 9):
        progress.document(done, 8, f"school/p{done}.pdf")
    lines = out.getvalue().splitlines()
    assert [line.split(" documents")[0].strip() for line in lines] == ["2/8", "4/8", "6/8", "8/8"]
    assert all(re.search(r", \d+ s elapsed", line) for line in lines)
    assert "left" in lines[0] and "left" not in lines[-1]


def test_verbose_names_every_document_and_quiet_says_nothing():
    out = io.StringIO()
    verbose = Progress(out, verbose=True, live=False)
    verbose.document(1, 2, "oak-primary/social-media.html")
    verbose.say("Built 2 documents")
    assert out.getvalue() == "[1/2] oak-primary/social-media.html\nBuilt 2 documents\n"
    silent = io.StringIO()
    quiet = Progress(silent, quiet=True, live=False)
    quiet.document(1, 1, "x.html")
    quiet.say("Built")
    assert silent.getvalue() == ""


def test_only_a_terminal_outside_ci_is_interactive_and_gets_links(monkeypatch, tmp_path):
    monkeypatch.delenv("CI", raising=False)
    monkeypatch.setenv("TERM", "xterm")
    assert interactive(Terminal()) and not interactive(io.StringIO())
    shown = link(tmp_path / "a b.html", "a b.html", Terminal())
    url = "file://" + str(tmp_path.resolve()).replace(" ", "%20") + "/a%20b.html"
    assert shown == f"\x1b]8;;{url}\x1b\\a b.html\x1b]8;;\x1b\\"
    assert link(tmp_path / "a.html", "a.html", io.StringIO()) == "a.html"
    monkeypatch.setenv("CI", "true")
    assert not interactive(Terminal())
    monkeypatch.delenv("CI")
    monkeypatch.setenv("TERM", "dumb")
    assert not interactive(Terminal())


def test_a_live_line_is_redrawn_in_place_within_the_terminal_and_cleared_at_the_end():
    out = Terminal()  # no size of its own: taken as 80 columns
    progress = Progress(out, live=True)
    progress.document(0, 3, "")
    progress.document(3, 3, "oak-primary/social-media.pdf")
    progress.close()
    text = out.getvalue()
    assert "\n" not in text
    drawn = [d for d in text.split("\r") if d]
    assert drawn[-2].startswith("Rendering 3/3 documents ############ ") and "oak-primary/soci" in drawn[-2]
    assert all(len(d) <= 80 for d in drawn)
    assert drawn[-1].strip() == ""  # the line is wiped, so the summary after it stands alone


def test_the_slowest_documents_are_named_only_when_there_are_more_than_shown():
    times = {Path("a.pdf"): 0.5, Path("b.pdf"): 3.25, Path("c.pdf"): 1.0, Path("d.html"): 0.1}
    assert slowest(times) == "Slowest to render: b.pdf (3.2 s), c.pdf (1.0 s), a.pdf (0.5 s)"
    assert slowest(dict(list(times.items())[:3])) == ""
