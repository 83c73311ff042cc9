"""Render each kind of page and the first pages of every PDF to PNG, for people to look at."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

from policyc.engine.layout import ACCESSIBILITY
from policyc.errors import UserError, display_path
from policyc.names import inside

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
            subprocess.run([chromium, *CHROMIUM_FLAGS, f"--user-data-dir={profile}", "--window-size=1280,1600",
                            f"--screenshot={png}", page.as_uri()], check=True, capture_output=True, timeout=120)
            written.append(png)
    for pdf in (sorted(output.glob("*/*.pdf")) + sorted(output.glob("review/*/*.pdf"))
                + sorted(output.glob("review/*/changes/*.pdf"))):
        kind = "review-" if pdf.relative_to(output).parts[0] == "review" else ""
        stem = inside(target, f"{kind}pdf-{pdf.parent.name}-{pdf.stem}")
        subprocess.run(["pdftoppm", "-r", "70", "-png", "-f", "1", "-l", str(pdf_pages), str(pdf), str(stem)],
                       check=True, capture_output=True, timeout=120)
        # pdftoppm names the pages STEM-1.png (or STEM-01.png); STEM-*.png would also take in the
        # pages of a longer name that starts the same (social-media-review-pack beside social-media)
        written += sorted(p for p in target.glob(f"{stem.name}-*.png")
                          if p.name[len(stem.name) + 1:-len(".png")].isdigit())
    return written
