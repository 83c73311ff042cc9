"""The redline for governors: a plain-English summary, then word-level changes clause by clause.

Words are compared in their authored form, placeholders and cross-references as single
tokens: a new headteacher's name or a renumbered cross-reference is not a wording change.
Each side is then filled in with its own values, so the page reads as real text.
"""

from __future__ import annotations

import difflib
import html
import re
from dataclasses import dataclass, replace
from typing import Optional

from markupsafe import Markup, escape

from policyc.compile.number import anchors, reference_text
from policyc.history.compare import ClauseChange, Comparison
from policyc.history.status import long_date
from policyc.model import Block, ResolvedPolicy
from policyc.text import prose
from policyc.text.lists import list_marker, nested_style
from policyc.text.placeholders import fill

TOKEN = re.compile(r"\{\{[^{}]*\}\}|\[\[[^\[\]]*\]\]|\w+(?:['’]\w+)*|\s+|[^\w\s]", re.S)
_TAG = re.compile(r"<[^>]+>")


def plain_lines(block: Optional[Block]) -> list[str]:
    """A clause's words as plain lines (Markdown rendered and stripped), placeholders kept."""
    if block is None:
        return []
    b = block.body
    lines = []
    for text in (b.title, b.text):
        lines += _markdown_lines(text)
    lines += _list_lines(b.items, block.list_style, 0)
    if b.duties:
        for lead, items in ((b.duties.must_lead, b.duties.must), (b.duties.must_not_lead, b.duties.must_not)):
            lines += _markdown_lines(lead) + [f"• {line}" for item in items for line in _markdown_lines(item)]
    lines += _markdown_lines(b.after)
    return lines


def _list_lines(items, style: str, depth: int) -> list[str]:
    """A list's items as lines, each nested list indented beneath its item."""
    lines = []
    for i, item in enumerate(items):
        text = item if isinstance(item, str) else item.text
        marker = list_marker(style, i)
        lines += ["  " * depth + f"{marker} {line}" for line in _markdown_lines(text)]
        if not isinstance(item, str):
            lines += _list_lines(item.items, item.list_style or nested_style(style), depth + 1)
    return lines


def _markdown_lines(text: str) -> list[str]:
    if not text:
        return []
    rendered = str(prose.block(text))
    rendered = re.sub(r"</(p|li|h\d)>", "\n", rendered)
    return [html.unescape(_TAG.sub("", line)).strip() for line in rendered.splitlines() if _TAG.sub("", line).strip()]


class Filler:
    def __init__(self, policy: ResolvedPolicy, numbers_from: ResolvedPolicy) -> None:
        self.values = policy.placeholder_map()
        self.targets = anchors(numbers_from)

    def __call__(self, text: str) -> str:
        def ref(item_id: str) -> str:
            return reference_text(*self.targets[item_id]) if item_id in self.targets else item_id
        return fill(text, self.values, ref, markdown=False)


Runs = tuple[tuple[str, str], ...]  # ("equal" | "insert" | "delete", filled text), "\n" between lines


def diff_runs(old_lines: list[str], new_lines: list[str], old_fill: Filler, new_fill: Filler,
              values: bool = False) -> Runs:
    """The word-level comparison as runs of equal, inserted and deleted text, each side filled
    in with its own values: the HTML marks them up, the Word writer makes tracked changes.
    With `values`, unchanged words whose value differs (see same_words) are a change too."""
    a = TOKEN.findall("\n".join(old_lines))
    b = TOKEN.findall("\n".join(new_lines))
    out: list[tuple[str, str]] = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "equal":
            out += same_words(b[j1:j2], old_fill, new_fill, values)
            continue
        if op in ("delete", "replace"):
            out.append(("delete", old_fill("".join(a[i1:i2]))))
        if op in ("insert", "replace"):
            out.append(("insert", new_fill("".join(b[j1:j2]))))
    return tuple(out)


def same_words(tokens: list[str], old_fill: Filler, new_fill: Filler, values: bool = False) -> list[tuple[str, str]]:
    """Authored words the two versions share, filled in with the new values. With `values`, a
    placeholder or cross-reference whose value differs (a renumbered paragraph, a new name)
    is a deletion of the old value and an insertion of the new, so that rejecting every change
    gives back exactly the old text (the Word redline); the HTML leaves it unmarked."""
    text = "".join(tokens)
    filled = new_fill(text)
    if not values or old_fill(text) == filled:
        return [("equal", filled)] if filled else []
    out: list[tuple[str, str]] = []
    for token in tokens:
        before, after = old_fill(token), new_fill(token)
        if before == after:
            if out and out[-1][0] == "equal":
                out[-1] = ("equal", out[-1][1] + after)
            else:
                out.append(("equal", after))
        else:
            out += [("delete", before), ("insert", after)]
    return out


def runs_html(runs: Runs) -> Markup:
    """Runs as HTML, never by colour alone: underline, strike-through, and words a screen
    reader announces."""
    mark = {"equal": _text, "delete": _del, "insert": _ins}
    return Markup("".join(mark[op](text) for op, text in runs))


def marked(old_lines: list[str], new_lines: list[str], old_fill: Filler, new_fill: Filler) -> Markup:
    """Word-level insertions and deletions, marked up."""
    return runs_html(diff_runs(old_lines, new_lines, old_fill, new_fill))


def _text(text: str) -> str:
    """Words as HTML; a bare email or web address is a link, as on the policy page (so the
    PDF has a link annotation over it, not an address a reader cannot follow)."""
    finder = prose.link_finder()
    found = finder.match(text) if finder.test(text) else None
    if not found:
        return str(escape(text))
    out, at = [], 0
    for link in found:
        if not prose.is_safe_link(link.url):
            continue
        out += [str(escape(text[at:link.index])),
                f'<a href="{escape(link.url)}">{escape(text[link.index:link.last_index])}</a>']
        at = link.last_index
    return "".join(out) + str(escape(text[at:]))


def _ins(text: str) -> str:
    """Inserted words, wrapped line by line so that every line stays well-formed HTML."""
    return "\n".join(
        f'<ins><span class="visually-hidden">[inserted: </span>{_text(line)}<span class="visually-hidden">]</span></ins>'
        if line.strip() else _text(line) for line in text.split("\n"))


def _del(text: str) -> str:
    return "\n".join(
        f'<del><span class="visually-hidden">[deleted: </span>{_text(line)}<span class="visually-hidden">]</span></del>'
        if line.strip() else "" for line in text.split("\n"))


_HIDDEN = re.compile(r'<span class="visually-hidden">[^<]*</span>')
_MARKER = re.compile(r"^(\([a-z]\)|•)\s")


def _label(line: str) -> Markup:
    """An item's marker, when it is unchanged text, as the item's label (a PDF Lbl); a
    bullet is hidden from screen readers, as on the policy page."""
    found = _MARKER.match(line)
    if not found:  # the marker itself was inserted or deleted: it stays in the marked words
        return Markup(line)
    hidden = ' aria-hidden="true"' if found.group(1) == "•" else ""
    return Markup(f'<span class="marker"{hidden}>{found.group(1)}</span> {line[found.end():]}')


@dataclass(frozen=True)
class Lines:
    """A run of a clause's lines: paragraphs ("p"), lettered ("ol") or bulleted ("ul") items."""
    kind: str
    lines: list[Markup]


def line_blocks(body: Markup) -> list[Lines]:
    """A clause's marked-up lines grouped as they read: its paragraphs, and its lettered and
    bulleted items as real lists (an item is a line that starts with "(a)" or "•")."""
    blocks: list[Lines] = []
    for line in str(body).split("\n"):
        words = html.unescape(_TAG.sub("", _HIDDEN.sub("", line))).strip()
        if not words:
            continue
        marker = _MARKER.match(words)
        kind = "p" if not marker else ("ul" if marker.group(1) == "•" else "ol")
        line = _label(line.strip()) if marker else Markup(line.strip())
        if blocks and kind != "p" and blocks[-1].kind == kind:
            blocks[-1].lines.append(line)
        else:
            blocks.append(Lines(kind, [line]))
    return blocks


@dataclass(frozen=True)
class RedlineClause:
    change: ClauseChange
    number: str
    note: str
    body: Markup
    depth: int
    why: tuple[str, str] = ("", "")  # the reason given for this change, and who proposed it
    runs: Runs = ()  # the body as equal, inserted and deleted text, for the Word redline

    @property
    def blocks(self) -> list[Lines]:
        return line_blocks(self.body)


@dataclass(frozen=True)
class RedlineSection:
    id: str
    number: str
    title: Markup
    note: str
    clauses: list[RedlineClause]
    changed: bool
    why: tuple[str, str] = ("", "")
    title_runs: Runs = ()


def build_sections(comparison: Comparison) -> list[RedlineSection]:
    old, new = comparison.old, comparison.new
    old_fill, new_fill = Filler(old, old), Filler(new, new)
    removed_after = _removed_positions(comparison)

    def clause(change: ClauseChange, depth: int) -> RedlineClause:
        made = _clause(change, depth, old_fill, new_fill)
        return replace(made, why=comparison.reason(change.id)) if change.affected else made
    sections = []
    for part in new.parts:
        clauses = []
        for block, depth in _walk_depth(part.blocks):
            clauses.append(clause(comparison.clauses[block.id], depth))
            for gone, gone_depth in removed_after.get(block.id, []):
                clauses.append(clause(comparison.clauses[gone.id], gone_depth))
        for gone, gone_depth in removed_after.get(part.id, []):
            clauses.insert(0, clause(comparison.clauses[gone.id], gone_depth))
        section = comparison.sections[part.id]
        runs, note = _section_title(section, old_fill, new_fill)
        changed = section.kind != "same" or section.moved or any(c.change.affected for c in clauses)
        why = comparison.reason(part.id) if section.kind != "same" or section.moved else ("", "")
        sections.append(RedlineSection(part.id, part.number, runs_html(runs), note, clauses, changed, why, runs))
    for section in comparison.sections.values():
        if section.kind == "removed":
            clauses = [clause(comparison.clauses[b.id], d) for b, d in _walk_depth(section.old.blocks)]
            runs = (("delete", old_fill(section.old.title)),)
            sections.append(RedlineSection(section.id, "", runs_html(runs), f"Section {section.old.number or ''} removed".replace("  ", " "),
                                           clauses, True, comparison.reason(section.id), runs))
    return sections


def _section_title(section, old_fill: Filler, new_fill: Filler) -> tuple[Runs, str]:
    if section.kind == "added":
        return (("insert", new_fill(section.new.title)),), "New section"
    if section.kind == "changed":
        return diff_runs([section.old.title], [section.new.title], old_fill, new_fill), "Heading changed"
    note = f"Moved (was section {section.old.number})" if section.moved and section.old.number else ""
    return (("equal", new_fill(section.new.title)),), note


def _walk_depth(blocks, depth: int = 0):
    for block in blocks:
        yield block, depth
        yield from _walk_depth(block.children, depth + 1)


def _removed_positions(comparison: Comparison) -> dict[str, list]:
    """Show a removed clause where it stood: after the last clause before it that is still
    there and has not moved, or else at the start of its section."""
    where: dict[str, list] = {}
    for part in comparison.old.parts:
        if comparison.sections[part.id].kind == "removed":
            continue  # shown with its removed section
        anchor = part.id
        for block, depth in _walk_depth(part.blocks):
            change = comparison.clauses[block.id]
            if change.kind == "removed":
                where.setdefault(anchor, []).append((block, depth))
            elif not change.moved:
                anchor = block.id
    return where


def clause_runs(change: ClauseChange, old_fill: Filler, new_fill: Filler, values: bool = False) -> Runs:
    """A clause's words as runs: all inserted, all deleted, all equal, or compared word by word
    (`values`: see same_words)."""
    if change.kind == "added":
        return (("insert", new_fill("\n".join(plain_lines(change.new)))),)
    if change.kind == "removed":
        return (("delete", old_fill("\n".join(plain_lines(change.old)))),)
    if change.kind == "same":  # same words: nothing to mark, so no word diff to run
        if not values:
            return (("equal", new_fill("\n".join(plain_lines(change.new)))),)
        return tuple(same_words(TOKEN.findall("\n".join(plain_lines(change.new))), old_fill, new_fill, True))
    return diff_runs(plain_lines(change.old), plain_lines(change.new), old_fill, new_fill, values)


def _clause(change: ClauseChange, depth: int, old_fill: Filler, new_fill: Filler) -> RedlineClause:
    runs = clause_runs(change, old_fill, new_fill)
    body = runs_html(runs)
    if change.kind == "added":
        return RedlineClause(change, change.new_number, "New paragraph", body, depth, runs=runs)
    if change.kind == "removed":
        number = change.old_number
        return RedlineClause(change, "", f"Removed (was {number})" if number else "Removed", body, depth, runs=runs)
    notes = []
    if change.moved:
        notes.append(f"Moved from {change.old_number}" if change.old_number else "Moved")
    if change.kind == "changed":
        notes.append("Wording changed")
    return RedlineClause(change, change.new_number, "; ".join(notes), body, depth, runs=runs)


def summary(comparison: Comparison, old_label: str, new_label: str, values_marked: bool = False) -> list[str]:
    """The plain-English account of what changed, with paragraph numbers in both versions.
    `values_marked`: the text marks a changed value as a change (the Word redline)."""
    out = []
    changed = comparison.of_kind("changed")
    added = comparison.of_kind("added")
    removed = comparison.of_kind("removed")
    moved = comparison.moved

    def num(change, side):
        return comparison.label(change, side)

    def both(change):
        a, b = num(change, "old"), num(change, "new")
        return b if a == b else f"{b} (was {a})"

    out.append(f"{_count(len(changed), 'paragraph')} with changed wording"
               + (f": {', '.join(both(c) for c in changed)}" if changed else ""))
    out.append(f"{_count(len(added), 'paragraph')} added" + (f": {', '.join(num(c, 'new') for c in added)}" if added else ""))
    out.append(f"{_count(len(removed), 'paragraph')} removed"
               + (f": {', '.join(num(c, 'old') for c in removed)} in {old_label}" if removed else ""))
    moves = [f"{num(c, 'old')} is now {num(c, 'new')}" for c in moved]
    out.append(f"{_count(len(moved), 'paragraph')} moved" + (f": {', '.join(moves)}" if moves else ""))
    for s in comparison.sections.values():
        if s.kind == "added":
            out.append(f"Section added: {s.new.number + ' ' if s.new.number else ''}{s.new.title}")
        elif s.kind == "removed":
            out.append(f"Section removed: {s.old.number + ' ' if s.old.number else ''}{s.old.title}")
        elif s.kind == "changed":
            out.append(f"Section heading changed: {s.new.number + ' ' if s.new.number else ''}{s.new.title} (was {s.old.title})")
        if s.moved:
            out.append(f"Section moved: {s.new.number + ' ' if s.new.number else ''}{s.new.title}"
                       + (f" (was section {s.old.number})" if s.old.number else ""))
    renumbered = comparison.renumbered_only
    if renumbered:
        out.append(f"{_count(len(renumbered), 'paragraph')} renumbered only, with no change to the words "
                   f"(for example {renumbered[0].old_number} is now {renumbered[0].new_number})")
    for name, before, after in comparison.values:
        detail = _detail(name, comparison)
        out.append(f"{detail[:1].upper()}{detail[1:]} changed from ‘{before or '(none)'}’ to "
                   f"‘{after or '(none)'}’ " + ("(marked as a change in the text)" if values_marked
                                                 else "(the text shows the new value, unmarked)"))
    return out


def _detail(name: str, comparison: Comparison) -> str:
    """A placeholder's name in words: 'holder.headteacher' is 'the name of the Headteacher'."""
    group, _, key = name.partition(".")
    role = comparison.new.placeholder_map().get(f"role.{key}", key.replace("_", " "))
    return {
        "holder": f"the name of the {role}",
        "role": "the title of a role",
        "term": f"the word used for {key.replace('_', ' ')}",
        "school": f"the school's {key.replace('_', ' ')}",
        "trust": f"the trust's {key.replace('_', ' ')}",
        "body": "the approving body's name",
        "policy": "the policy's title",
    }.get(group, f"the value {key.replace('_', ' ')}")


def _count(n: int, word: str) -> str:
    return f"{'No' if n == 0 else n} {word}{'' if n == 1 else 's'}"




def redline_context(comparison: Comparison, current: ResolvedPolicy, old_label: str, new_label: str,
                    draft: bool) -> dict:
    """What redline.html.j2 needs, for the diff command and the build alike."""
    return dict(
        title=current.title, school_name=current.school_name, body=current.body,
        old_label=old_label, new_label=new_label, draft=draft,
        summary=summary(comparison, old_label, new_label), summary_values=comparison.values,
        reasons=comparison.reasons(),
        has_changes=comparison.has_changes, sections=build_sections(comparison))


def version_label(version: str, ratified) -> str:
    return f"version {version} (ratified {long_date(ratified)})"
