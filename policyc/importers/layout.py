"""Where the cover ends, what the contents list says, and where the policy's own text begins."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Optional

from policyc.importers.blocks import TextBlock
from policyc.importers.cover import looks_like_cover_fact

_PAGE = re.compile(r"(\t|\.{2,}|\s{2,}|(\s\.){3,})[\s.]*\d*\s*$")
# 'Date created - 18/09/2022', 'Review: Sept 2023', 'Version 2': a label with its value, not a heading.
_LABEL = re.compile(r"\w\s*(:|\s[-–]|\bversion\b)\s+\S*\d|\b\d{1,2}/\d{1,2}/\d{2,4}\b|\b(19|20)\d\d\b", re.I)
_COVERISH = re.compile(r"\b(to be )?(reviewed|adopted|approved|ratified|agreed|signed|updated)\b", re.I)
_CONTENTS = re.compile(r"^(contents|table of contents|index)$", re.I)


@dataclass
class Contents:
    title: str
    note: Optional[str] = None
    entries: list[tuple[Optional[str], str]] = field(default_factory=list)  # (number, title)


@dataclass
class Layout:
    cover: list[TextBlock]
    contents: Optional[Contents]
    body: list[TextBlock]
    draft: bool = False


def entry_key(text: str) -> str:
    return re.sub(r"[^a-z0-9]", "", text.lower())


def split_document(blocks: list[TextBlock]) -> Layout:
    """Cover, contents and body, found from a 'Contents' line and the first numbered heading."""
    start = next((i for i, b in enumerate(blocks) if b.kind in ("para", "heading") and _CONTENTS.match(b.text.strip())),
                 None)  # Word gives its contents list a heading style of its own
    if start is None:
        first = next((i for i, b in enumerate(blocks) if b.kind == "heading"), None)
        if first is None:  # no heading at all: the cover ends at the first long paragraph
            first = next((i for i, b in enumerate(blocks)
                          if b.kind in ("numbered", "item") or (b.kind == "para" and len(b.text) > 200)
                          or _heads_a_paragraph(b, blocks[i + 1] if i + 1 < len(blocks) else None)), len(blocks))
            if first == len(blocks):  # nothing long enough to begin a body: after the title and its facts
                first = next((i for i, b in enumerate(blocks) if b.kind == "para" and i and not _title_like(b)
                              and not re.match(r"^[\w ]{1,40}:", b.text)), len(blocks))
            if 0 < first < len(blocks) and blocks[first].kind == "item" and blocks[first - 1].kind == "para" \
                    and blocks[first - 1].text.endswith(":"):
                first -= 1  # the words that lead into the first list
            if 0 < first < len(blocks) and _title_like(blocks[first - 1]) and not _title_like(blocks[first]):
                first -= 1  # the heading over the first paragraph
            titles = [i for i, b in enumerate(blocks[:first]) if _title_like(b)]
            if 0 < first < len(blocks) and titles and titles[0] < first - 1 == titles[-1] and _title_like(blocks[first]):
                first -= 1  # a heading whose first content is a sub-heading (the title came before it)
            return Layout(blocks[:first], None, _plain_headings(blocks[first:]))
        numbered = next((i for i, b in enumerate(blocks[:first]) if b.kind in ("numbered", "item")
                         and b.number in ("1", "1.1", "a")), None)
        if numbered is not None:  # '1 This policy ...' before the first heading: the policy has begun
            first = numbered - 1 if numbered and _title_like(blocks[numbered - 1]) and numbered - 1 > 0 else numbered
        return Layout(blocks[:first], None, _sub_headings(_unnumbered_headings(blocks[first:], Contents(""))))
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
    return Layout(blocks[:start], contents, _sub_headings(_unnumbered_headings(blocks[i:], contents)), draft)


def _unnumbered_headings(body: list[TextBlock], contents: Contents) -> list[TextBlock]:
    """A line the contents lists ('Appendix 1 – Table of changes') is a heading even without a number."""
    listed = {entry_key(t) for n, t in contents.entries if not n}
    for block in body:
        if block.kind == "para" and (entry_key(block.text) in listed or re.match(r"^Appendix\s+\w+\b.{0,80}$", block.text)):
            block.kind, block.level, block.number = "heading", 1, None
    return body


def _title_like(block: TextBlock) -> bool:
    """'Our aims', or a question such as 'What is this policy?', not a sentence or a label with its value
    ('Date of next review: June 2017')."""
    text = block.text
    words = len(text.split())
    return (block.kind == "para" and text[:1].isupper() and "\t" not in text
            and words <= 12 and not re.search(r"[.,;:!]$", text) and not _LABEL.search(text)
            and not looks_like_cover_fact(text))


def _heads_a_paragraph(block: TextBlock, following: Optional[TextBlock]) -> bool:
    """'Our aims' over a sentence of the policy, not 'Attendance Policy' over 'Adopted by ...: 12 September 2025'."""
    return (_title_like(block) and following is not None and following.kind == "para" and len(following.text) > 80
            and not looks_like_cover_fact(following.text)
            and not (len(following.text) < 160 and _COVERISH.search(following.text)))


def _plain_headings(body: list[TextBlock]) -> list[TextBlock]:
    """In a document with no numbered headings, a short line without a full stop before a paragraph is a heading.

    Two such lines together are a heading and its first sub-heading: the headings after it are
    sub-headings too, as a text file cannot say where the section ends. Three or more are not
    headings at all (a list of the other policies to read, say).
    """
    nested = False
    for i, block in enumerate(body):
        if not _title_like(block):
            continue
        run = 1
        while i + run < len(body) and _title_like(body[i + run]):
            run += 1
        before = body[i - 1] if i else None
        if before is not None and _title_like(before):
            continue  # inside a run, decided at its first line
        content = i + run < len(body) and body[i + run].kind in ("para", "item", "row")
        if run == 1 and content:
            block.kind, block.level = "heading", 2 if nested else 1
        elif run == 2 and content:
            block.kind, block.level = "heading", 1
            body[i + 1].kind, body[i + 1].level = "heading", 2
            nested = True
    return body


def _sub_headings(body: list[TextBlock]) -> list[TextBlock]:
    """In a document whose sections are numbered, an unnumbered short line before a paragraph heads a sub-section."""
    if not any(b.kind == "heading" and b.number for b in body):
        return body
    for block, following in zip(body, body[1:]):
        if (_title_like(block) and following.kind in ("para", "item", "row") and not _title_like(following)
                and not block.text.lower().startswith(("signed", "date"))):
            block.kind, block.level = "heading", 2
    return body


def _entry(block: TextBlock) -> tuple[Optional[str], str]:
    """A contents line without its page number: ('1', 'Introduction')."""
    text = block.cells[0] if block.kind == "row" else block.text
    text = _PAGE.sub("", text).strip().rstrip(".").strip()
    if block.kind in ("heading", "item") and block.number:
        return block.number, text
    m = re.match(r"^(\d{1,2})\.?\s+(.*)$", text)
    return (m.group(1), m.group(2).strip()) if m else (None, text)
