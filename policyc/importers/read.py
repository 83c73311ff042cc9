"""Which reader a file needs, by its extension: text, Markdown or PDF (through poppler's pdftotext)."""

from __future__ import annotations

from pathlib import Path

from policyc.errors import UserError
from policyc.importers.blocks import Block
from policyc.importers.pdf import pdf_text
from policyc.importers.text import read_text
from policyc.text.glyphs import drawable_text

SUFFIXES = (".txt", ".md", ".pdf", ".docx")


def read_document(path: Path) -> list[Block]:
    """The document's blocks, every character one the house fonts can draw: what is imported builds."""
    return [_drawable(b) for b in _read(path)]


def _drawable(block: Block) -> Block:
    block.text, lost = drawable_text(block.text)
    for i, cell in enumerate(block.cells):
        block.cells[i], more = drawable_text(cell)
        lost += more
    block.dropped = sorted(set(lost))
    return block


def _read(path: Path) -> list[Block]:
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        raise UserError(f"{path}: policyc can import {', '.join(SUFFIXES)} files, not {suffix or 'this file'}")
    if suffix == ".pdf":
        return read_text(pdf_text(path), name="paragraph")
    if suffix == ".docx":
        from policyc.importers.docx import read_docx
        return read_docx(path)
    return read_text(path.read_text(encoding="utf-8-sig"), markdown=suffix == ".md")
