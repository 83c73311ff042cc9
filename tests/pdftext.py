"""Reading built PDFs back: page text without page furniture, and text normalised for comparison."""

from __future__ import annotations

import re
from pathlib import Path

from pypdf import PdfReader

FOOTER = re.compile(r"Page \d+ of \d+\s*$")
_ORDINAL = re.compile(r"\b(\d+)\s*(st|nd|rd|th)\b", re.I)
_LEADING_NUMBER = re.compile(r"^[\s\-–•·*]*(\(?[a-z]\)|\d+(\.\d+)*\.?)(?=\s)", re.I)
_CONTENTS_PAGE = re.compile(r"(\t|\.{2,}|\s\.\s)[\s.]*\d+\s*$")


def page_texts(pdf: Path) -> list[str]:
    """Each page's text without the running footer, the DRAFT mark or bare bullets."""
    pages = []
    for page in PdfReader(pdf).pages:
        lines = []
        for line in page.extract_text().splitlines():
            line = FOOTER.sub("", line) if FOOTER.search(line) else line
            if line.strip() in ("DRAFT", "•", ""):
                continue
            lines.append(line)
        pages.append(lines)
    # The footer's left half ("Title · School · Version") can come out as a line of its own:
    # a last line that every page shares is page furniture, not text.
    last = {tuple(p[-1:]) for p in pages}
    if len(pages) > 1 and len(last) == 1 and pages[0]:
        footer = pages[0][-1]
        pages = [p[:-1] if p and p[-1] == footer else p for p in pages]
    return ["\n".join(p) for p in pages]


def footers(pdf: Path) -> list[str]:
    """The last line of every page: the running footer."""
    return [page.extract_text().strip().splitlines()[-1] for page in PdfReader(pdf).pages]


def key(text: str) -> str:
    """Letters and digits only, lower case, ordinals and leading numbering removed per line."""
    lines = []
    for line in text.splitlines():
        line = _CONTENTS_PAGE.sub("", line)
        line = _LEADING_NUMBER.sub("", line)
        lines.append(_ORDINAL.sub(r"\1", line))
    return re.sub(r"[^a-z0-9]", "", " ".join(lines).lower())


def sentences(text: str) -> list[str]:
    """A seed's sentences: each line split after . ! or ?, with numbering and bullets gone."""
    out = []
    text = re.sub(r"</?(i|b|em|strong)>", "", text)  # the extraction's italic marks, not content
    for line in text.splitlines():
        line = _CONTENTS_PAGE.sub("", line)
        line = _LEADING_NUMBER.sub("", line).strip()
        for part in re.split(r"(?<=[.!?])\s+", line):
            if key(part):
                out.append(part)
    return out
