"""Markdown to HTML for clause text: raw HTML off, images off, links limited to safe schemes."""

from __future__ import annotations

import re
from functools import lru_cache

from markdown_it import MarkdownIt
from markupsafe import Markup

SAFE_LINK = re.compile(r"^(https://|mailto:|#)", re.I)
RAW_HTML = re.compile(r"<[A-Za-z!/?][^>]*>")
LINK_TARGET = re.compile(r"\]\(\s*<?([^)\s>]*)")
AUTOLINK = re.compile(r"<([a-zA-Z][a-zA-Z0-9+.-]*:[^>\s]*)>")


def is_safe_link(url: str) -> bool:
    return bool(SAFE_LINK.match(url.strip()))


@lru_cache(maxsize=1)
def _renderer() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False, "typographer": False})
    md.enable("table")  # real policies set out roles and contacts in tables
    md.disable("image")
    md.validateLink = is_safe_link
    return md


def block(text: str) -> Markup:
    """Paragraphs, lists and emphasis; anything that looks like HTML is shown as text."""
    return Markup(_renderer().render(text or ""))


def inline(text: str) -> Markup:
    return Markup(_renderer().renderInline(text or ""))


def unsafe_links(text: str) -> list[str]:
    """Link targets in `text` that will not be linked because their scheme is not allowed."""
    targets = LINK_TARGET.findall(text or "") + AUTOLINK.findall(text or "")
    return [t for t in targets if t and not is_safe_link(t)]


def has_raw_html(text: str) -> bool:
    return bool(RAW_HTML.search(text or ""))


def escape_label(text: str) -> str:
    """Text safe to put inside [...] of a Markdown link."""
    return re.sub(r"([\\\[\]*_`])", r"\\\1", text)
