"""Markdown to HTML for clause text: raw HTML off, images off, links limited to safe schemes."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from markdown_it import MarkdownIt
from markupsafe import Markup, escape

from policyc.limits import MAX_MARKUP_NESTING

# A sibling policy's page in the bundle is safe too: [[policy#clause]] links there, from a
# school's folder, its archive or the review area ("../../school/policy.html#clause").
SAFE_LINK = re.compile(r"^(https://|mailto:|#|(\.\./){0,2}([a-z0-9][a-z0-9_-]*/)?[a-z0-9][a-z0-9_-]*\.html(#[a-z0-9_-]*)?$)", re.I)
RAW_HTML = re.compile(r"<[A-Za-z!/?][^<>]*>")  # [^<>]: one linear pass over text full of "<a:"
LINK_TARGET = re.compile(r"\]\(\s*<?([^)\s>]*)")
AUTOLINK = re.compile(r"<([a-zA-Z][a-zA-Z0-9+.-]*:[^>\s]*)>")


def is_safe_link(url: str) -> bool:
    return bool(SAFE_LINK.match(url.strip()))


@lru_cache(maxsize=1)
def _renderer() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False, "typographer": False, "linkify": True})
    md.enable("table")  # real policies set out roles and contacts in tables
    # A bare email address or https:// address becomes a link, so a screen reader and a PDF
    # reader can follow it (other addresses still have to pass is_safe_link, or stay text).
    md.enable("linkify")
    md.disable("image")
    md.validateLink = is_safe_link
    return md


def link_finder():
    """The renderer's own finder of bare email and web addresses (linkify-it)."""
    return _renderer().linkify


# Memoised by text: a trust's schools share most of their clauses word for word, and serve
# renders the same texts again on every save. Each is a pure function of its text.
_TEXTS = 1 << 16


@lru_cache(maxsize=_TEXTS)
def block(text: str) -> Markup:
    """Paragraphs, lists and emphasis; anything that looks like HTML is shown as text."""
    if too_deep(text):  # refused by validate; never handed to a parser that recurses on it
        return Markup(f"<p>{escape(text)}</p>\n")
    return Markup(_renderer().render(text or ""))


TABLE_START, TABLE_END = "<table>", "</table>"  # as the renderer writes them: text can never (html is off)


def scrolling_tables(html: Markup, label, where: str = "") -> Markup:
    """Each table of rendered Markdown inside a region of its own that scrolls sideways, named
    by `label(where)` and reachable by the keyboard, as the site's index tables are."""
    pieces = str(html).split(TABLE_START)
    out = [pieces[0]]
    for piece in pieces[1:]:
        name = escape(label(where))
        out.append(f'<section class="table-scroll" aria-label="{name}" tabindex="0">{TABLE_START}'
                   + piece.replace(TABLE_END, f"{TABLE_END}</section>", 1))
    return Markup("".join(out))


@lru_cache(maxsize=_TEXTS)
def inline(text: str) -> Markup:
    if too_deep(text):
        return escape(text)
    return Markup(_renderer().renderInline(text or ""))


@lru_cache(maxsize=_TEXTS)
def plain(text: str) -> str:
    """Inline Markdown as the words a reader sees, for a Word comment: the markup gone, its
    escapes undone (a school called St \\*Mary\\* is St *Mary* again)."""
    if too_deep(text):
        return text or ""
    words = []
    for token in _renderer().parseInline(text or ""):
        for child in token.children or ():
            if child.type in ("text", "code_inline"):
                words.append(child.content)
            elif child.type in ("softbreak", "hardbreak"):
                words.append(" ")
    return "".join(words)


_OPENERS = {"[": "]", "(": ")"}
_CONTAINER = re.compile(r"[ \t]*(?:>|[-*+](?=[ \t]|$)|\d{1,9}[.)](?=[ \t]|$))[ \t]*")


def too_deep(text: str) -> int:
    """Where `text` nests markup past MAX_MARKUP_NESTING (its offset, counted from 1), or 0.

    Why before parsing: markdown-it reads a link's label, a quote and a list by recursion,
    and a few hundred brackets inside each other take Python past its recursion limit. This
    scan does not recurse: it counts open brackets, and on each line the quote and list
    markers it starts with."""
    if not text or ("[" not in text and "(" not in text and ">" not in text and "-" not in text
                    and "*" not in text and "+" not in text and "." not in text and ")" not in text):
        return 0
    depth, escaped = 0, False
    for i, ch in enumerate(text):
        if escaped:
            escaped = False
        elif ch == "\\":
            escaped = True
        elif ch in "[(":
            depth += 1
            if depth > MAX_MARKUP_NESTING:
                return i + 1
        elif ch in "])" and depth:
            depth -= 1
    offset = 0
    for line in text.split("\n"):
        at, levels = 0, 0
        while (marker := _CONTAINER.match(line, at)) and marker.end() > at:
            levels += 1
            if levels > MAX_MARKUP_NESTING:  # at the marker itself
                return offset + at + len(marker.group()) - len(marker.group().lstrip(" \t")) + 1
            at = marker.end()
        indent = len(line) - len(line.lstrip(" "))
        if levels and indent // 2 + levels > MAX_MARKUP_NESTING:
            return offset + indent + 1
        offset += len(line) + 1
    return 0


@dataclass(frozen=True)
class Shape:
    """What a text holds, read by markdown-it itself (so what is checked is what renders)."""

    links: tuple[str, ...]  # every link target: inline, reference-style and autolinks
    html: tuple[str, ...]  # raw HTML as written (shown as text, never as markup)
    list_depth: int
    table_rows: int


@lru_cache(maxsize=1)
def _reader() -> MarkdownIt:
    """The same rules as the renderer, but keeping every link and HTML token to look at."""
    md = MarkdownIt("commonmark", {"html": True, "typographer": False, "maxNesting": 1000})
    md.enable("table")
    md.disable("image")
    md.validateLink = lambda url: True
    return md


def shape(text: str) -> Shape:
    """What markdown-it reads in `text`; nothing for a text too_deep to be parsed (refused by validate)."""
    links, html, depth, deepest, rows = [], [], 0, 0, 0
    if too_deep(text):
        return Shape((), (), 0, 0)
    for token in _reader().parse(text or ""):
        if token.type in ("bullet_list_open", "ordered_list_open"):
            depth += 1
            deepest = max(deepest, depth)
        elif token.type in ("bullet_list_close", "ordered_list_close"):
            depth -= 1
        elif token.type == "tr_open":
            rows += 1
        elif token.type == "html_block":
            html.append(token.content.strip())
        for child in token.children or ():
            if child.type == "link_open":
                links.append(child.attrGet("href") or "")
            elif child.type == "html_inline":
                html.append(child.content)
    return Shape(tuple(links), tuple(html), deepest, rows)


def unsafe_links(text: str) -> list[str]:
    """Link targets in `text` that will not be linked because their scheme is not allowed."""
    return [t for t in shape(text).links if t and not is_safe_link(t)]


def has_raw_html(text: str) -> bool:
    return bool(shape(text).html)


def escape_label(text: str) -> str:
    """Text safe to put inside [...] of a Markdown link."""
    return re.sub(r"([\\\[\]*_`])", r"\\\1", text)
