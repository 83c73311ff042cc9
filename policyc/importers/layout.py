"""Where the cover ends, what the contents list says, and where the policy's own text begins."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Optional

from policyc.importers.blocks import Block
from policyc.importers.cover import looks_like_cover_fact

_PAGE = re.compile(r"(\t|\.{2,}|\s{2,}|(\s\.){3,})[\s.]*\d*\s*$")
_CONTENTS = re.compile(r"^(contents|table of contents|index)$", re.I)


@dataclass
class Contents:
    title: str
    note: Optional[str] = None
    entries: list[tuple[Optional[str], str]] = field(default_factory=list)  # (number, title)


@dataclass
class Layout:
    cover: list[Block]
    contents: Optional[Contents]
    body: list[Block]
    draft: bool = False


def entry_key(text: str) -> str:
    return re.sub(r"[^a-z0-9]", "", text.lower())


def split_document(blocks: list[Block]) -> Layout:
    """Cover, contents and body, found from a 'Contents' line and the first numbered heading."""
    start = next((i for i, b in enumerate(blocks) if b.kind == "para" and _CONTENTS.match(b.text.strip())), None)
    if start is None:
        first = next((i for i, b in enumerate(blocks) if b.kind == "heading"), None)
        if first is None:  # no heading at all: the cover ends at the first long paragraph
            first = next((i for i, b in enumerate(blocks)
                          if b.kind in ("numbered", "item") or (b.kind == "para" and len(b.text) > 200)
                          or _heads_a_paragraph(b, blocks[i + 1] if i + 1 < len(blocks) else None)), len(blocks))
            if first and _title_like(blocks[first - 1]) and not _title_like(blocks[first]):
                first -= 1  # the heading over the first paragraph
            return Layout(blocks[:first], None, _plain_headings(blocks[first:]))
        return Layout(blocks[:first], None, _unnumbered_headings(blocks[first:], Contents("")))
    contents = Contents(blocks[start].text.strip())
    seen: set[str] = set()
    draft = False
    i = start + 1
    while i < len(blocks):
        block = blocks[i]
        number, title = _entry(block)
        if entry_key(title) in seen and block.kind == "heading":
            break
        if block.text.strip().upper() == "DRAFT":
            draft = True
        elif block.text.startswith("(") and block.text.endswith(")") and not contents.entries:
            contents.note = block.text
        else:
            contents.entries.append((number, title))
            seen.add(entry_key(title))
        i += 1
    return Layout(blocks[:start], contents, _unnumbered_headings(blocks[i:], contents), draft)


def _unnumbered_headings(body: list[Block], contents: Contents) -> list[Block]:
    """A line the contents lists ('Appendix 1 – Table of changes') is a heading even without a number."""
    listed = {entry_key(t) for n, t in contents.entries if not n}
    for block in body:
        if block.kind == "para" and (entry_key(block.text) in listed or re.match(r"^Appendix\s+\w+\b.{0,80}$", block.text)):
            block.kind, block.level, block.number = "heading", 1, None
    return body


def _title_like(block: Block) -> bool:
    text = block.text
    return (block.kind == "para" and len(text.split()) <= 8 and text[:1].isupper()
            and not re.search(r"[.,;:!?]$", text) and "\t" not in text)


def _heads_a_paragraph(block: Block, following: Optional[Block]) -> bool:
    """'Our aims' over a sentence of the policy, not 'Attendance Policy' over 'Adopted by ...: 12 September 2025'."""
    return (_title_like(block) and following is not None and following.kind == "para" and len(following.text) > 80
            and not looks_like_cover_fact(following.text))


def _plain_headings(body: list[Block]) -> list[Block]:
    """In a document with no numbered headings, a short line without a full stop before a paragraph is a heading."""
    for block, following in zip(body, body[1:]):
        if _title_like(block) and following.kind in ("para", "item", "row") and not _title_like(following):
            block.kind, block.level = "heading", 1
    return body


def _entry(block: Block) -> tuple[Optional[str], str]:
    """A contents line without its page number: ('1', 'Introduction')."""
    text = block.cells[0] if block.kind == "row" else block.text
    text = _PAGE.sub("", text).strip().rstrip(".").strip()
    if block.kind in ("heading", "item") and block.number:
        return block.number, text
    m = re.match(r"^(\d{1,2})\.?\s+(.*)$", text)
    return (m.group(1), m.group(2).strip()) if m else (None, text)
