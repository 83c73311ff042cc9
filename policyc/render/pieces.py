"""A clause's words as typed pieces, and two sides' pieces compared for people to read.

A piece is one paragraph as it reads (a paragraph, a list item with its style, level and
marker, a table), made of runs of kept, inserted and deleted words that keep their bold,
italic and links. Words are compared in their authored form, placeholders and
cross-references as single tokens, so a new headteacher's name or a renumbered
cross-reference is not a wording change; each side is then filled in with its own values.
Pieces are paired first (as Word's Compare pairs paragraphs), then compared word by word
and cleaned up for reading (text/worddiff.py); a piece mostly rewritten is shown whole,
struck through, then whole, new.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Optional

from markdown_it import MarkdownIt

from policyc.compile.number import anchors, reference_text
from policyc.history.compare import ClauseChange
from policyc.model import Block, ListItem, ResolvedPolicy, body_parts
from policyc.text.lists import list_marker, nested_style
from policyc.text.placeholders import PLACEHOLDER, REFERENCE, fill
from policyc.text.worddiff import compare_words, kept_words

# A placeholder or cross-reference is one token (held as a private-use stand-in while
# Markdown is parsed, so a "|" or "*" inside one is never read as Markdown).
_STAND_IN = re.compile("\ue000(\\d+)\ue001")
TOKEN = re.compile("\ue000\\d+\ue001|\\w+(?:['’]\\w+)*|\\s+|[^\\w\\s]", re.S)
_WORD = re.compile(r"\w")
REWRITTEN = 0.5  # a piece keeping less than this share of its words is shown whole, old then new


class Filler:
    """Fills one version's placeholders and cross-references as plain words."""

    def __init__(self, policy: ResolvedPolicy) -> None:
        self.values = policy.placeholder_map()
        self.targets = anchors(policy)
        self.siblings = {ref: words for ref, words, _ in policy.policy_links}

    def __call__(self, text: str) -> str:
        def ref(item_id: str) -> str:
            if item_id in self.targets:
                return reference_text(*self.targets[item_id])
            # another policy of the school ([[policy#clause]]), named as its page names it
            return self.siblings.get(item_id, item_id.partition("#")[0].replace("-", " ").capitalize())
        return fill(text, self.values, ref, markdown=False)


# --- pieces and runs ---------------------------------------------------------------------------

@dataclass(frozen=True)
class Run:
    """Words of one kind and one look. `text` is the newer side's for kept and inserted words,
    the older side's for deleted ones; kept words whose value differs (a renumbered
    cross-reference, a new name) carry the older side's in `was`."""

    kind: str  # "same", "inserted", "deleted"
    text: str
    was: str = ""
    strong: bool = False
    em: bool = False
    code: bool = False
    link: str = ""

    def on(self, side: str) -> str:
        """The words as that side ("old" or "new") reads them; "" when not on it."""
        if self.kind == "same":
            return self.was if side == "old" and self.was else self.text
        return self.text if (self.kind == "inserted") == (side == "new") else ""


Runs = tuple[Run, ...]


@dataclass(frozen=True)
class Row:
    cells: tuple[Runs, ...]
    header: bool = False
    state: str = "same"  # "same", "changed", "inserted", "deleted"


@dataclass(frozen=True)
class Piece:
    """One paragraph of a clause as it reads: "title", "paragraph", "item" (a list item with its
    style, level and marker) or "table" (rows of cells)."""

    kind: str
    runs: Runs = ()
    state: str = "same"  # "same", "changed", "inserted" (the whole piece is new), "deleted"
    style: str = ""  # an item's list: "bullet", "letter", "roman", "number"
    level: int = 0
    marker: str = ""  # "(a)", "(iv)", "•", "3."; "" for a later paragraph of an item
    was_marker: str = ""  # the older side's marker where it differs (an item inserted above it)
    rows: tuple[Row, ...] = ()


# --- pieces of one side -----------------------------------------------------------------

@dataclass(frozen=True)
class _Raw:
    """A piece of one side before comparison: authored tokens, each with its look."""

    kind: str
    tokens: tuple[tuple[str, tuple], ...] = ()  # (authored text, (strong, em, code, link))
    style: str = ""
    level: int = 0
    marker: str = ""
    rows: tuple[tuple[bool, tuple[tuple[tuple[str, tuple], ...], ...]], ...] = ()  # (header, cells)

    @property
    def key(self) -> tuple:
        return (self.kind, self.tokens, self.rows)

    def words(self) -> list:
        if self.kind == "table":
            return [t for _, cells in self.rows for cell in cells for t in cell]
        return list(self.tokens)


@lru_cache(maxsize=1)
def _parser() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False, "typographer": False})
    md.enable("table")
    md.disable("image")
    return md


def _protect(text: str) -> tuple[str, list[str]]:
    kept: list[str] = []

    def hold(match: re.Match) -> str:
        kept.append(match.group(0))
        return f"\ue000{len(kept) - 1}\ue001"
    return REFERENCE.sub(hold, PLACEHOLDER.sub(hold, text or "")), kept


def _restore(text: str, kept: list[str]) -> str:
    return _STAND_IN.sub(lambda m: kept[int(m.group(1))], text)


def _tokens(text: str, look: tuple, kept: list[str]) -> list[tuple[str, tuple]]:
    if "\ue000" not in text:
        return [(t, look) for t in TOKEN.findall(text)]
    return [(_restore(t, kept), look) for t in TOKEN.findall(text)]


def _inline(children, kept: list[str]) -> tuple:
    """Inline Markdown as tokens with their look (bold, italic, code, link)."""
    out: list = []
    strong = em = 0
    link = ""
    for child in children or ():
        kind = child.type
        if kind == "text":
            out += _tokens(child.content, (strong > 0, em > 0, False, link), kept)
        elif kind in ("softbreak", "hardbreak"):
            out.append((" ", (strong > 0, em > 0, False, link)))
        elif kind == "code_inline":
            out += _tokens(child.content, (strong > 0, em > 0, True, link), kept)
        elif kind == "strong_open":
            strong += 1
        elif kind == "strong_close":
            strong -= 1
        elif kind == "em_open":
            em += 1
        elif kind == "em_close":
            em -= 1
        elif kind == "link_open":
            link = _restore(child.attrGet("href") or "", kept)
        elif kind == "link_close":
            link = ""
    return tuple(out)


def _markdown_pieces(text: str, level: int = 0) -> list[_Raw]:
    """A Markdown text as pieces: its paragraphs, its lists' items (with their nesting), its tables."""
    if not text:
        return []
    source, kept = _protect(text)
    tokens = _parser().parse(source)
    out: list[_Raw] = []
    lists: list[list] = []  # [style, next number, delimiter] per open list
    item_open: list[bool] = []  # per open item: has its first paragraph been read?
    i = 0
    while i < len(tokens):
        token = tokens[i]
        kind = token.type
        if kind in ("bullet_list_open", "ordered_list_open"):
            start = int(token.attrGet("start") or 1) if kind == "ordered_list_open" else 0
            lists.append(["bullet" if kind == "bullet_list_open" else "number", start, token.markup])
        elif kind in ("bullet_list_close", "ordered_list_close"):
            lists.pop()
        elif kind == "list_item_open":
            item_open.append(False)
        elif kind == "list_item_close":
            item_open.pop()
            if lists and lists[-1][0] == "number":
                lists[-1][1] += 1
        elif kind == "inline":
            words = _inline(token.children, kept)
            heading = tokens[i - 1].type == "heading_open"
            if item_open and lists:
                style, number, delimiter = lists[-1]
                marker = "" if item_open[-1] else ("•" if style == "bullet" else f"{number}{delimiter}")
                item_open[-1] = True
                out.append(_Raw("item", words, style, level + len(lists) - 1, marker))
            else:
                out.append(_Raw("heading" if heading else "paragraph", words, level=level))
        elif kind == "table_open":
            end = next(j for j in range(i, len(tokens)) if tokens[j].type == "table_close")
            rows: list = []
            for j in range(i, end):
                if tokens[j].type == "tr_open":
                    rows.append([tokens[j + 1].type == "th_open", []])
                elif tokens[j].type in ("th_open", "td_open"):
                    rows[-1][1].append(_inline(tokens[j + 1].children, kept))
            out.append(_Raw("table", level=level, rows=tuple((h, tuple(c)) for h, c in rows)))
            i = end
        elif kind in ("code_block", "fence"):
            out.append(_Raw("paragraph", tuple(_tokens(token.content.strip("\n"), (False, False, True, ""), kept)),
                            level=level))
        i += 1
    return out


def _inline_pieces(text: str) -> tuple:
    source, kept = _protect(text)
    [line] = _parser().parseInline(source) or [None]
    return _inline(line.children if line else (), kept)


def _list_pieces(items, style: str, level: int) -> list[_Raw]:
    out: list[_Raw] = []
    for i, item in enumerate(items):
        text = item.text if isinstance(item, ListItem) else item
        out.append(_Raw("item", _inline_pieces(text), style or "bullet", level, list_marker(style, i)))
        if isinstance(item, ListItem) and item.items:
            out += _list_pieces(item.items, item.list_style or nested_style(style), level + 1)
    return out


def pieces_of(block: Optional[Block]) -> list[_Raw]:
    """A clause's own words as pieces, in the order model.body_parts reads them."""
    if block is None:
        return []
    out: list[_Raw] = []
    for part in body_parts(block.body, block.list_style):
        if part.kind == "title":
            source, kept = _protect(part.text)
            out.append(_Raw("title", tuple(_tokens(source, (False, False, False, ""), kept))))
        elif part.kind in ("text", "after"):
            out += _markdown_pieces(part.text)
        elif part.kind == "lead":
            out.append(_Raw("paragraph", _inline_pieces(part.text)))
        else:
            out += _list_pieces(part.items, part.list_style, 0)
    return [p for p in out if p.tokens or p.rows]


# --- comparing pieces -------------------------------------------------------------------

def _weight(token) -> int:
    return 1 if _WORD.search(token[0]) else 0


def _is_space(token) -> bool:
    return token[0].isspace()


class Sides:
    """The two versions' fillers: how kept, inserted and deleted words are filled in."""

    def __init__(self, old: Filler, new: Filler) -> None:
        self.old, self.new = old, new

    def kept(self, tokens) -> list[Run]:
        """Words both sides share, each side filled with its own values."""
        out: list[Run] = []
        for look, group in _by_look(tokens):
            text = "".join(group)
            if not _HAS_NAMES(text):  # nothing to fill: the words are the words
                out.append(_run("same", text, look))
                continue
            if self.old(text) == self.new(text):
                out.append(_run("same", self.new(text), look))
                continue
            for token in group:  # only the tokens whose value differs carry the old one
                before, after = self.old(token), self.new(token)
                last = out[-1] if out else None
                if before == after and last and last.kind == "same" and not last.was and _look(last) == look:
                    out[-1] = replace(last, text=last.text + after)
                else:
                    out.append(_run("same", after, look, before if before != after else ""))
        return out

    def whole(self, kind: str, tokens) -> list[Run]:
        fill_in = self.new if kind == "inserted" else self.old
        out = []
        for look, group in _by_look(tokens):
            text = "".join(group)
            out.append(_run(kind, fill_in(text) if _HAS_NAMES(text) else text, look))
        return [r for r in out if r.text]

    def compared(self, a, b) -> tuple[list[Run], bool]:
        """Runs of `a` against `b`, and whether it is mostly rewritten."""
        segments = compare_words(a, b, _weight, _is_space)
        kept = kept_words(segments, a, _weight)
        shortest = min(sum(map(_weight, a)), sum(map(_weight, b)))
        runs: list[Run] = []
        for s in segments:
            if s.kind == "equal":
                runs += self.kept(a[s.i1:s.i2])
            else:
                runs += self.whole("deleted", a[s.i1:s.i2]) + self.whole("inserted", b[s.j1:s.j2])
        return _joined(runs), shortest > 0 and kept < REWRITTEN * shortest


def _HAS_NAMES(text: str) -> bool:
    return "{{" in text or "[[" in text


def _by_look(tokens):
    """Tokens in stretches of one look: (look, [authored texts])."""
    out: list = []
    for text, look in tokens:
        if out and out[-1][0] == look:
            out[-1][1].append(text)
        else:
            out.append((look, [text]))
    return out


def _look(run: Run) -> tuple:
    return (run.strong, run.em, run.code, run.link)


def _run(kind: str, text: str, look: tuple, was: str = "") -> Run:
    strong, em, code, link = look
    return Run(kind, text, was, strong, em, code, link)


def _joined(runs: list[Run]) -> Runs:
    out: list[Run] = []
    for run in runs:
        if out and out[-1].kind == run.kind and _look(out[-1]) == _look(run) and not out[-1].was and not run.was:
            out[-1] = replace(out[-1], text=out[-1].text + run.text)
        else:
            out.append(run)
    return tuple(r for r in out if r.text or r.was)


def _piece(raw: _Raw, runs: Runs, state: str, rows: tuple[Row, ...] = (), was_marker: str = "") -> Piece:
    return Piece(raw.kind, runs, state, raw.style, raw.level, raw.marker, was_marker, rows)


def whole_piece(raw: _Raw, kind: str, sides: Sides) -> Piece:
    """A piece only one side has, inserted or deleted as a whole (a table too)."""
    state = kind
    rows = tuple(Row(tuple(tuple(sides.whole(kind, cell)) for cell in cells), header, state)
                 for header, cells in raw.rows)
    return _piece(raw, tuple(sides.whole(kind, raw.tokens)), state, rows)


def same_piece(old: _Raw, new: _Raw, sides: Sides) -> Piece:
    rows = tuple(Row(tuple(tuple(sides.kept(cell)) for cell in cells), header) for header, cells in new.rows)
    return _piece(new, tuple(sides.kept(new.tokens)), "same", rows, _was_marker(old, new))


def _was_marker(old: _Raw, new: _Raw) -> str:
    return old.marker if old.marker != new.marker else ""


def _similar(a: _Raw, b: _Raw) -> float:
    if (a.kind == "table") != (b.kind == "table"):
        return 0.0
    wa = [t for t in a.words() if _weight(t)]
    wb = [t for t in b.words() if _weight(t)]
    if not wa or not wb:
        return 1.0 if wa == wb else 0.0
    return difflib.SequenceMatcher(None, wa, wb, autojunk=False).ratio()


def _pairs(old: list[_Raw], new: list[_Raw]) -> list[tuple[Optional[int], Optional[int]]]:
    """Which old piece each new piece is a rewording of, in order (a monotone alignment that
    keeps the most similarity; pieces less than a third alike are not paired)."""
    n, m = len(old), len(new)
    score = [[0.0] * (m + 1) for _ in range(n + 1)]
    for i in range(n - 1, -1, -1):
        for j in range(m - 1, -1, -1):
            s = _similar(old[i], new[j])
            paired = score[i + 1][j + 1] + s if s >= 1 / 3 else -1.0
            score[i][j] = max(paired, score[i + 1][j], score[i][j + 1])
    out: list[tuple[Optional[int], Optional[int]]] = []
    i = j = 0
    while i < n or j < m:
        if i < n and j < m:
            s = _similar(old[i], new[j])
            if s >= 1 / 3 and score[i][j] == score[i + 1][j + 1] + s:
                out.append((i, j))
                i, j = i + 1, j + 1
                continue
            if score[i][j] == score[i + 1][j]:
                out.append((i, None))
                i += 1
                continue
            out.append((None, j))
            j += 1
        elif i < n:
            out.append((i, None))
            i += 1
        else:
            out.append((None, j))
            j += 1
    return out


def _changed_table(old: _Raw, new: _Raw, sides: Sides) -> Optional[Piece]:
    """A table compared row by row (cell by cell in rows both have); None when its columns changed."""
    widths = {len(c) for _, c in old.rows} | {len(c) for _, c in new.rows}
    if len(widths) != 1:
        return None
    a = [tuple(cells) for _, cells in old.rows]
    b = [tuple(cells) for _, cells in new.rows]
    rows: list[Row] = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "equal":
            rows += [Row(tuple(tuple(sides.kept(c)) for c in b[j]), new.rows[j][0]) for j in range(j1, j2)]
            continue
        for k in range(max(i2 - i1, j2 - j1)):
            i, j = i1 + k, j1 + k
            if i < i2 and j < j2:
                cells = []
                for ca, cb in zip(a[i], b[j]):
                    runs, _ = sides.compared(list(ca), list(cb))
                    cells.append(runs)
                rows.append(Row(tuple(cells), new.rows[j][0], "changed"))
            elif i < i2:
                rows.append(Row(tuple(tuple(sides.whole("deleted", c)) for c in a[i]), old.rows[i][0], "deleted"))
            else:
                rows.append(Row(tuple(tuple(sides.whole("inserted", c)) for c in b[j]), new.rows[j][0], "inserted"))
    return _piece(new, (), "changed", tuple(rows))


def compare_pieces(old: list[_Raw], new: list[_Raw], sides: Sides) -> list[Piece]:
    out: list[Piece] = []
    matcher = difflib.SequenceMatcher(None, [p.key for p in old], [p.key for p in new], autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            out += [same_piece(old[i1 + k], new[j1 + k], sides) for k in range(i2 - i1)]
            continue
        a, b = old[i1:i2], new[j1:j2]
        for i, j in _pairs(a, b):
            if j is None:
                out.append(whole_piece(a[i], "deleted", sides))
            elif i is None:
                out.append(whole_piece(b[j], "inserted", sides))
            elif a[i].kind == "table":
                table = _changed_table(a[i], b[j], sides)
                out += [table] if table else [whole_piece(a[i], "deleted", sides), whole_piece(b[j], "inserted", sides)]
            else:
                runs, rewritten = sides.compared(list(a[i].tokens), list(b[j].tokens))
                if rewritten:
                    out += [whole_piece(a[i], "deleted", sides), whole_piece(b[j], "inserted", sides)]
                else:
                    out.append(_piece(b[j], runs, "changed", was_marker=_was_marker(a[i], b[j])))
    return out


def clause_pieces(change: ClauseChange, sides: Sides) -> tuple[Piece, ...]:
    if change.kind == "added":
        return tuple(whole_piece(p, "inserted", sides) for p in pieces_of(change.new))
    if change.kind == "removed":
        return tuple(whole_piece(p, "deleted", sides) for p in pieces_of(change.old))
    if change.kind == "same":  # the same words (and list styles, so the same markers): nothing to compare
        return tuple(same_piece(p, p, sides) for p in pieces_of(change.new))
    return tuple(compare_pieces(pieces_of(change.old), pieces_of(change.new), sides))


def old_pieces(block: Block, sides: Sides) -> tuple[Piece, ...]:
    """A clause as the older side had it, for the place it moved from: kept words, old values."""
    old_only = Sides(sides.old, sides.old)
    return tuple(same_piece(p, p, old_only) for p in pieces_of(block))


def title_runs(old_title: str, new_title: str, kind: str, sides: Sides) -> Runs:
    a = [(t, (False, False, False, "")) for t in TOKEN.findall(old_title or "")]
    b = [(t, (False, False, False, "")) for t in TOKEN.findall(new_title or "")]
    if kind == "added":
        return tuple(sides.whole("inserted", b))
    if kind == "removed":
        return tuple(sides.whole("deleted", a))
    if a == b:
        return _joined(sides.kept(b))
    runs, _ = sides.compared(a, b)
    return runs


def side_text(runs: Runs, side: str) -> str:
    return "".join(r.on(side) for r in runs)
