"""Which reader a file needs, by its extension: text, Markdown or PDF (through poppler's pdftotext)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

from policyc.errors import UserError
from policyc.importers.blocks import Block
from policyc.importers.text import read_text

SUFFIXES = (".txt", ".md", ".pdf", ".docx")


def read_document(path: Path) -> list[Block]:
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        raise UserError(f"{path}: policyc can import {', '.join(SUFFIXES)} files, not {suffix or 'this file'}")
    if suffix == ".pdf":
        return read_text(_pdf_text(path), name="page-line")
    if suffix == ".docx":
        from policyc.importers.docx import read_docx
        return read_docx(path)
    return read_text(path.read_text(encoding="utf-8-sig"), markdown=suffix == ".md")


def _pdf_text(path: Path) -> str:
    """pdftotext's reading order, one paragraph a line: its -layout mode keeps columns apart but breaks lines."""
    if not shutil.which("pdftotext"):
        raise UserError("importing a PDF needs poppler's pdftotext (Debian: apt-get install poppler-utils)")
    done = subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True, text=True)
    if done.returncode:
        raise UserError(f"{path}: pdftotext could not read it: {done.stderr.strip()}")
    paragraphs, current = [], []
    for line in done.stdout.replace("\f", "\n\n").splitlines():
        if not line.strip():
            if current:
                paragraphs.append(" ".join(current))
                current = []
            continue
        current.append(line.strip())
    if current:
        paragraphs.append(" ".join(current))
    return "\n\n".join(paragraphs)
