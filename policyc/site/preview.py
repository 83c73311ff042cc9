"""Render each kind of page and the first pages of every PDF to PNG, for people to look at."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path

from policyc.errors import UserError, display_path
from policyc.names import inside
from policyc.outputs.layout import ACCESSIBILITY

TOOL_SECONDS = 120  # one screenshot or one PDF's pages; a real one takes a few seconds

CHROMIUM_FLAGS = ("--headless=new", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync")


def pages_to_preview(output: Path) -> dict[str, Path]:
    """One page of each kind the build writes, where the build wrote one."""
    found = {"trust-index": output / "index.html", "dashboard": output / "dashboard.html"}
    for name, pattern in (("school-index", "*/index.html"), ("accessibility", f"*/{ACCESSIBILITY}"),
                          ("policy", "*/*.html"), ("draft", "review/*/*.html"),
                          ("archive", "*/archive/*.html"), ("redline", "review/*/changes/*.html")):
        candidates = [p for p in sorted(output.glob(pattern))
                      if p.name not in ("index.html", "policies-fragment.html", ACCESSIBILITY)
                      or name in ("school-index", "accessibility")]
        if candidates:
            found[name] = candidates[0]
    return {kind: page for kind, page in found.items() if page.is_file()}


def preview(output: Path, target: Path, pdf_pages: int = 2) -> list[Path]:
    if not (output / "index.html").is_file():
        raise UserError(f"{display_path(output)} holds no build; run 'policyc build' first")
    chromium = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")
    if not chromium:
        raise UserError("preview needs Chromium: apt-get install chromium (or run bash scripts/setup.sh --test)")
    if not shutil.which("pdftoppm"):
        raise UserError("preview needs pdftoppm: apt-get install poppler-utils")
    target.mkdir(parents=True, exist_ok=True)
    written = []
    with tempfile.TemporaryDirectory() as profile:
        for kind, page in pages_to_preview(output).items():
            png = inside(target, f"{kind}.png")
            run_tool([chromium, *CHROMIUM_FLAGS, f"--user-data-dir={profile}", "--window-size=1280,1600",
                      f"--screenshot={png}", page.as_uri()], f"Chromium, drawing {display_path(page)}")
            written.append(png)
    for pdf in (sorted(output.glob("*/*.pdf")) + sorted(output.glob("review/*/*.pdf"))
                + sorted(output.glob("review/*/changes/*.pdf"))):
        kind = "review-" if pdf.relative_to(output).parts[0] == "review" else ""
        stem = inside(target, f"{kind}pdf-{pdf.parent.name}-{pdf.stem}")
        run_tool(["pdftoppm", "-r", "70", "-png", "-f", "1", "-l", str(pdf_pages), str(pdf), str(stem)],
                 f"pdftoppm, drawing {display_path(pdf)}")
        # pdftoppm names the pages STEM-1.png (or STEM-01.png); STEM-*.png would also take in the
        # pages of a longer name that starts the same (social-media-review-pack beside social-media)
        written += sorted(p for p in target.glob(f"{stem.name}-*.png")
                          if p.name[len(stem.name) + 1:-len(".png")].isdigit())
    return written


def run_tool(command: list[str], what: str, seconds: float | None = None) -> None:
    """Run an external program with a time limit; a failure or an overrun is a plain UserError.

    Why a session of its own: Chromium starts helper processes that inherit its output, and
    subprocess.run's own timeout kills only the first, then waits on the pipes the helpers
    still hold; here the whole group is killed."""
    seconds = TOOL_SECONDS if seconds is None else seconds
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True)
    try:
        _, err = process.communicate(timeout=seconds)
    except subprocess.TimeoutExpired:
        _kill_group(process)
        process.communicate()
        raise UserError(f"{what} took longer than {seconds:g} s and was stopped; "
                        f"run 'policyc preview' again, or look at the page in a browser") from None
    except BaseException:  # Ctrl-C: no program left running behind
        _kill_group(process)
        process.communicate()
        raise
    if process.returncode:
        said = err.decode("utf-8", "replace").strip().splitlines()
        raise UserError(f"{what} failed (exit {process.returncode})" + (f": {said[-1]}" if said else ""))


def _kill_group(process: subprocess.Popen) -> None:
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
