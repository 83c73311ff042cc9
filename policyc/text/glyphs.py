"""Which characters a built policy can show: the house fonts' own glyphs, read from their cmap.

Why read the fonts: WeasyPrint stops a PDF with ".notdef glyph rendered" when no font has a
character, and says neither which source nor where. Checking every character of the sources
against the fonts the house style names (templates/assets/fonts, read with fontTools, which
WeasyPrint itself depends on) finds that at validate time, in its file, line and column.

Some characters are never text at all: Word's Symbol and Wingdings bullets arrive from a PDF
as private-use code points (U+F0B7 is Symbol's bullet) that no Unicode font draws; XML cannot
hold most control characters, so the Word writer cannot either; a lone surrogate cannot be
written as UTF-8; a non-character is reserved never to be interchanged.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import Optional

from policyc.resources import ASSET_DIR

# Word's symbol-font list markers as a PDF or a copy-and-paste carries them (private use area,
# Symbol and Wingdings code pages), and what each stands for.
SYMBOL_MARKERS = {
    "\uf0b7": "•",  # Symbol: bullet (Word's default)
    "\uf0a7": "▪",  # Wingdings: small square (Word's third-level default)
    "\uf0a8": "▪",  # Wingdings: square
    "\uf06e": "■",  # Wingdings: black square
    "\uf0fc": "✓",  # Wingdings: tick
    "\uf0fb": "✗",  # Wingdings: cross
    "\uf076": "❖",  # Wingdings: diamond of diamonds
    "\uf0d8": "➢",  # Wingdings: arrowhead
    "\uf0d7": "➢",  # Wingdings: arrowhead (other way)
    "\uf0e0": "➢",  # Wingdings: arrow
    "\uf0e8": "➔",  # Wingdings: arrow
    "\uf0f0": "⇨",  # Wingdings: outline arrow
    "\uf071": "❑",  # Wingdings: shadowed square
    "\uf06c": "●",  # Wingdings: black circle
    "\uf09f": "•",  # Wingdings: small bullet
    "\uf0a1": "○",  # Wingdings: circle
    "\uf02d": "-",  # Symbol: hyphen
    "\uf0be": "—",  # Symbol: horizontal bar
}
# Any other character of the private use area that Word's symbol fonts map to: a marker too.
SYMBOL_AREA = re.compile("[\uf020-\uf0ff]")

_FONT_FILES = ("OpenSans-Regular.ttf", "OpenSans-Italic.ttf", "OpenSans-Semibold.ttf", "OpenSans-Bold.ttf",
               "OpenSans-BoldItalic.ttf")
_ALLOWED_CONTROLS = {"\t", "\n", "\r"}


@lru_cache(maxsize=1)
def drawn() -> frozenset[int]:
    """The code points every house font draws (the text may be set in any of its weights)."""
    from fontTools.ttLib import TTFont

    sets = []
    for name in _FONT_FILES:
        path = ASSET_DIR / "fonts" / name
        if path.is_file():
            with TTFont(str(path), lazy=True) as font:
                sets.append(set(font.getBestCmap()))
    if not sets:  # pragma: no cover - the fonts ship with the package
        return frozenset(range(0x20, 0x7F))
    return frozenset(set.intersection(*sets))


@lru_cache(maxsize=1)
def _undrawn_pattern() -> re.Pattern:
    """One character class of everything outside the fonts, so a text is checked in one C-speed pass."""
    points = sorted(drawn() | {ord(c) for c in _ALLOWED_CONTROLS} | {0x20})
    ranges, start, last = [], points[0], points[0]
    for p in points[1:]:
        if p == last + 1:
            last = p
            continue
        ranges.append((start, last))
        start = last = p
    ranges.append((start, last))
    parts = "".join(re.escape(chr(a)) if a == b else f"{re.escape(chr(a))}-{re.escape(chr(b))}" for a, b in ranges)
    return re.compile(f"[^{parts}]")


def _is_invisible(ch: str) -> bool:
    """Format characters (zero-width space, joiners, soft hyphen, direction marks): shaped away, never drawn."""
    return unicodedata.category(ch) == "Cf" and not ("\ud800" <= ch <= "\udfff")


def problem(ch: str) -> Optional[str]:
    """Why `ch` cannot be in a policy's text, or None if it can."""
    point = ord(ch)
    if "\ud800" <= ch <= "\udfff":
        return f"a lone surrogate (U+{point:04X}) is not a character and cannot be written as UTF-8"
    if unicodedata.category(ch) == "Cc" and ch not in _ALLOWED_CONTROLS:
        return f"the control character U+{point:04X} cannot be printed, and a Word file cannot hold it"
    if 0xFDD0 <= point <= 0xFDEF or (point & 0xFFFE) == 0xFFFE:
        return f"U+{point:04X} is a Unicode non-character, never used in text"
    if point in drawn() or _is_invisible(ch):
        return None
    if ch in SYMBOL_MARKERS or SYMBOL_AREA.fullmatch(ch):
        return (f"U+{point:04X} is a Word symbol-font glyph (a list bullet copied from Word or a PDF) "
                "that no Unicode font can draw")
    name = unicodedata.name(ch, "")
    return f"the house fonts cannot draw {ch!r} (U+{point:04X}{' ' + name if name else ''})"


def suggestion(ch: str) -> str:
    """What to write instead of `ch`."""
    if "\ud800" <= ch <= "\udfff":
        return "write the character itself in the file (saved as UTF-8), not as the two \\uD8xx halves of UTF-16"
    instead = replacement(ch)
    if ch in SYMBOL_MARKERS or SYMBOL_AREA.fullmatch(ch):
        return "start the line with '- ' to make it a list item, or write • (U+2022)"
    if instead:
        return f"write {instead!r} instead"
    return "remove it, or write the character another way"


def replacement(ch: str) -> Optional[str]:
    """A drawable character (or characters) meaning the same as `ch`, if there is one."""
    mapped = SYMBOL_MARKERS.get(ch)
    if mapped is not None:
        mapped = _STAND_INS.get(mapped, mapped)
        return mapped if all(ord(c) in drawn() for c in mapped) else "•"
    if ch in _STAND_INS:
        return _STAND_INS[ch]
    if SYMBOL_AREA.fullmatch(ch):
        return "•"
    folded = unicodedata.normalize("NFKC", ch)
    if folded != ch and folded.strip() and all(ord(c) in drawn() for c in folded):
        return folded
    return None


# Characters every font of the house style certainly has: a text made only of these needs no font read.
_COMMON = re.compile("[^\t\n\r\x20-\x7e\xa0-\xff\u2013\u2014\u2018\u2019\u201c\u201d\u2022\u2026\u20ac]")

# Drawable stand-ins the fonts lack a glyph for: arrows as arrows are written in plain text,
# round and square bullets as the bullet.
_STAND_INS = {"→": "->", "←": "<-", "⇒": "=>", "↔": "<->", "◦": "•", "▪": "•", "■": "•", "●": "•", "○": "•",
              "❖": "•", "➢": "•", "➔": "->", "⇨": "->", "❑": "•", "‣": "•", "⁃": "-", "‐": "-", "‑": "-",
              "\u2028": " ", "\u2029": " ", "\u202f": " ", "\u205f": " "}


def undrawable(text: str) -> list[tuple[int, str, str]]:
    """(offset, character, why) for each character of `text` that a built policy cannot show."""
    if not _COMMON.search(text):
        return []
    out = []
    for m in _undrawn_pattern().finditer(text):
        why = problem(m.group(0))
        if why and unicodedata.combining(m.group(0)) and m.start():
            composed = unicodedata.normalize("NFC", text[m.start() - 1:m.end()])  # 'u' + U+0308: shaped as 'ü'
            why = None if len(composed) == 1 and ord(composed) in drawn() else why
        if why:
            out.append((m.start(), m.group(0), why))
    return out


def drawable_text(text: str) -> tuple[str, list[str]]:
    """`text` with each character the fonts cannot show replaced by one they can, or left out; and
    what was left out. For the importer: what it writes must build."""
    lost: list[str] = []
    if not _COMMON.search(text):
        return text, lost
    text = unicodedata.normalize("NFC", text)  # accents typed as separate marks, joined to their letters

    def swap(m: re.Match) -> str:
        ch = m.group(0)
        if not problem(ch):
            return ch
        instead = replacement(ch)
        if instead is not None and not any(problem(c) for c in instead):
            return instead
        lost.append(f"U+{ord(ch):04X}")
        return ""
    return _undrawn_pattern().sub(swap, text), lost
