"""What a build shows while it runs: one live line on a terminal, a few plain lines elsewhere.

Why tqdm: it keeps one line up to date with the count, the elapsed time and an estimate of
the time left, redraws it no more often than the terminal can show, and is a small pure
Python package with no dependencies of its own. On a terminal that is all we need (rich
would bring a whole rendering library for one line). When the output is piped or runs in
CI, no live line is drawn: a log gets a handful of plain lines instead.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path
from typing import Optional, TextIO
from urllib.parse import quote


def interactive(stream: TextIO) -> bool:
    """A person watching a terminal, not a log or CI."""
    try:
        tty = stream.isatty()
    except (AttributeError, ValueError):
        return False
    return tty and os.environ.get("TERM") != "dumb" and os.environ.get("CI", "").lower() not in ("true", "1")


def link(path: Path, shown: str, stream: TextIO) -> str:
    """`shown` as a link to `path` that a terminal lets the user open (OSC 8), else as it is."""
    if not interactive(stream):
        return shown
    url = "file://" + quote(str(Path(path).resolve()))
    return f"\x1b]8;;{url}\x1b\\{shown}\x1b]8;;\x1b\\"


def _size(stream: TextIO) -> tuple[int, int]:
    """The terminal's columns and lines; one that reports none (some consoles and
    pseudo-terminals say 0 x 0, where tqdm would draw nothing) counts as 80 x 24."""
    try:
        size = os.get_terminal_size(stream.fileno())
        return size.columns or 80, size.lines or 24
    except (AttributeError, OSError, ValueError):
        return 80, 24


def _seconds(value: float) -> str:
    value = max(0, int(round(value)))
    return f"{value // 60}:{value % 60:02d}" if value >= 60 else f"{value} s"


class Progress:
    """Counts documents as they are rendered. quiet: nothing; verbose: every document."""

    STEPS = 4  # plain lines in a log: at a quarter, a half, three quarters and the end

    def __init__(self, stream: TextIO = sys.stderr, quiet: bool = False, verbose: bool = False,
                 live: Optional[bool] = None) -> None:
        self.stream, self.quiet, self.verbose = stream, quiet, verbose
        self.live = interactive(stream) if live is None else live
        self.bar = None
        self.started = time.perf_counter()
        self.shown = 0

    def say(self, message: str) -> None:
        if self.quiet:
            return
        if self.bar is not None:
            self.bar.write(message, file=self.stream)
        else:
            print(message, file=self.stream, flush=True)

    def document(self, done: int, total: int, path: str) -> None:
        """Called with 0 before the first document, then after each one."""
        if self.quiet or total == 0:
            return
        if self.live:
            if self.bar is None:
                from tqdm import tqdm
                self.bar = tqdm(total=total, file=self.stream, unit="doc", ncols=_size(self.stream)[0], nrows=_size(self.stream)[1], leave=False,
                                bar_format="Rendering {n_fmt}/{total_fmt} documents {bar:12} "
                                "{elapsed} elapsed, {remaining} left  {desc}")
            self.bar.n = done
            self.bar.set_description_str(path, refresh=False)
            self.bar.refresh()
            if self.verbose and path:
                self.bar.write(f"[{done}/{total}] {path}", file=self.stream)
            return
        if self.verbose and path:
            print(f"[{done}/{total}] {path}", file=self.stream, flush=True)
            return
        step = max(1, -(-total // self.STEPS))
        if done and (done % step == 0 or done == total) and done > self.shown:
            self.shown = done
            elapsed = time.perf_counter() - self.started
            left = elapsed / done * (total - done)
            print(f"  {done}/{total} documents rendered, {_seconds(elapsed)} elapsed"
                  + (f", about {_seconds(left)} left" if done < total else ""), file=self.stream, flush=True)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()
            self.bar = None


def slowest(times: dict, count: int = 3) -> str:
    """The documents that took longest to render, for the end of a build."""
    if len(times) <= count:
        return ""
    worst = sorted(times.items(), key=lambda item: -item[1])[:count]
    return "Slowest to render: " + ", ".join(f"{path} ({seconds:.1f} s)" for path, seconds in worst)
