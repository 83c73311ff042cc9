"""The change model: one comparison as plain data, which the HTML, PDF and Word redlines write.

Built once per comparison: sections and clauses in the newer version's order, each with its
place (here, removed here, moved from here, moved to here), its numbers, its note and the
reason given for it, and each clause's body as typed pieces of kept, inserted and deleted
runs (render/pieces.py). Where a removed or moved clause goes, and how a change is named,
is decided here once, so the page and the Word file cannot drift apart.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from policyc.history.compare import FRONT, ClauseChange, Comparison, SectionChange
from policyc.model import Block, ResolvedPolicy
from policyc.render.pieces import (TOKEN, Filler, Piece, Row, Run, Runs, Sides, clause_pieces, old_pieces,
                                   side_text, title_runs)

__all__ = ["ClauseEntry", "Piece", "Redline", "Row", "Run", "Runs", "SectionEntry", "build_redline", "side_text"]


@dataclass(frozen=True)
class ClauseEntry:
    id: str
    place: str  # "here", "removed" (shown where it stood), "moved-from" (its old place), "moved-to"
    change: ClauseChange
    number: str  # as shown: the newer number, or the older one for a clause no longer there
    old_number: str
    depth: int
    note: str
    why: tuple[str, str]
    pieces: tuple[Piece, ...]
    carried: bool = False  # it moves because the clause it belongs to moves

    @property
    def affected(self) -> bool:
        return self.place != "here" or self.change.kind != "same"


@dataclass(frozen=True)
class SectionEntry:
    id: str
    place: str  # "here", "removed", "moved-from", "moved-to"
    change: SectionChange
    number: str
    old_number: str
    title: Runs
    note: str
    why: tuple[str, str]
    clauses: tuple[ClauseEntry, ...]
    changed: bool


@dataclass(frozen=True)
class Redline:
    comparison: Comparison
    sections: tuple[SectionEntry, ...] = field(default=())


# --- where everything goes, and what it is called ----------------------------------------

def _walk(blocks, depth: int = 0):
    for block in blocks:
        yield block, depth
        yield from _walk(block.children, depth + 1)


def _carried(comparison: Comparison, policy: ResolvedPolicy) -> set[str]:
    """Clauses that move: those compare() calls moved, and the sub-clauses moving with them."""
    out: set[str] = set()

    def visit(blocks, carried: bool) -> None:
        for block in blocks:
            change = comparison.clauses[block.id]
            mine = carried or (change.moved and change.kind != "removed")
            if mine and change.kind not in ("removed", "added"):
                out.add(block.id)
            visit(block.children, mine)
    for part in policy.parts:
        visit(part.blocks, False)
    return out


def clause_note(change: ClauseChange, place: str) -> str:
    """What a clause's change is called, on the page and in a Word comment alike."""
    if place == "removed":
        return f"Removed (was {change.old_number})" if change.old_number else "Removed"
    if place == "moved-from":
        where = f"Moved to {change.new_number}" if change.new_number else "Moved"
        return f"{where} (was {change.old_number})" if change.old_number else where
    if change.kind == "added":
        return "New paragraph"
    notes = []
    if place == "moved-to":
        notes.append(f"Moved from {change.old_number}" if change.old_number else "Moved")
    if change.kind == "changed":
        notes.append("Wording changed" if not notes else "wording changed")
    return "; ".join(notes)


def section_note(section: SectionChange, place: str) -> str:
    if place == "removed":
        return f"Section {section.old.number} removed" if section.old.number else "Section removed"
    if place == "moved-from":
        return f"Section moved to {section.new.number}" if section.new.number else "Section moved"
    notes = []
    if section.kind == "added":
        notes.append("New section")
    elif section.kind == "changed":
        notes.append("Heading changed")
    if place == "moved-to":
        notes.append(f"Moved from section {section.old.number}" if section.old.number else "Moved")
    return "; ".join(notes)


FRONT_NOTES = {"changed": "Wording changed", "added": "New words", "removed": "Removed"}


class _Builder:
    def __init__(self, comparison: Comparison) -> None:
        self.comparison = comparison
        self.sides = Sides(Filler(comparison.old), Filler(comparison.new))
        self.carried = _carried(comparison, comparison.old) & _carried(comparison, comparison.new)

    def clause(self, block: Block, depth: int, place: str) -> ClauseEntry:
        change = self.comparison.clauses[block.id]
        carried = block.id in self.carried and not change.moved
        if place == "moved-from":
            pieces, number = old_pieces(block, self.sides), ""
        else:
            pieces = clause_pieces(change, self.sides)
            number = "" if place == "removed" else change.new_number  # a removed one's is in its note
        affected = place != "here" or change.affected
        why = self.comparison.reason(change.id) if affected and place != "moved-from" else ("", "")
        return ClauseEntry(block.id, place, change, number, change.old_number, depth, clause_note(change, place),
                           why, pieces, carried)

    def section(self, section: SectionChange, place: str, clauses: list[ClauseEntry]) -> SectionEntry:
        part = section.old if place in ("removed", "moved-from") else section.new
        old_title = section.old.title if section.old else ""
        new_title = section.new.title if section.new else ""
        if place == "moved-from":
            title = tuple(self.sides.kept([(t, (False, False, False, "")) for t in TOKEN.findall(old_title)]))
            title = tuple(replace(r, text=r.was or r.text, was="") for r in title)
        else:
            kind = "removed" if place == "removed" else section.kind
            title = title_runs(old_title, new_title, kind, self.sides)
        affected = section.kind != "same" or section.moved
        why = self.comparison.reason(section.id) if affected and place != "moved-from" else ("", "")
        changed = affected or any(c.affected for c in clauses)
        return SectionEntry(section.id, place, section, part.number, section.old.number if section.old else "",
                            title, section_note(section, place), why, tuple(clauses), changed)

    def build(self) -> Redline:
        comparison = self.comparison
        moved_parts = {s.id for s in comparison.sections.values() if s.moved and s.kind in ("same", "changed")}
        # A clause no longer where it stood (removed, or moved away) is shown there: after the
        # last clause before it that is still there and has not moved, or else at its
        # section's start. A moved section's old place is after the last section before it
        # that has not moved.
        left_behind: dict[str, list] = {}
        sections_behind: dict[str, list] = {}
        section_anchor = ""
        for part in comparison.old.parts:
            section = comparison.sections[part.id]
            if section.kind == "removed":
                continue
            if part.id in moved_parts:
                sections_behind.setdefault(section_anchor, []).append(section)
            else:
                section_anchor = part.id
            anchor = part.id
            for block, depth in _walk(part.blocks):
                change = comparison.clauses[block.id]
                if change.kind == "removed":
                    left_behind.setdefault(anchor, []).append((block, depth, "removed"))
                elif block.id in self.carried:
                    left_behind.setdefault(anchor, []).append((block, depth, "moved-from"))
                else:
                    anchor = block.id
        out: list[SectionEntry] = [self.front()] if comparison.front else []
        out += [self.moved_away(s) for s in sections_behind.get("", [])]
        for part in comparison.new.parts:
            section = comparison.sections[part.id]
            clauses = [self.clause(b, d, p) for b, d, p in left_behind.get(part.id, [])]
            for block, depth in _walk(part.blocks):
                clauses.append(self.clause(block, depth, "moved-to" if block.id in self.carried else "here"))
                clauses += [self.clause(b, d, p) for b, d, p in left_behind.get(block.id, [])]
            out.append(self.section(section, "moved-to" if part.id in moved_parts else "here", clauses))
            out += [self.moved_away(s) for s in sections_behind.get(part.id, [])]
        for section in comparison.sections.values():
            if section.kind == "removed":
                clauses = [self.clause(b, d, "removed") for b, d in _walk(section.old.blocks)]
                out.append(self.section(section, "removed", clauses))
        return Redline(comparison, tuple(out))

    def front(self) -> SectionEntry:
        """The policy's words outside its sections, where they changed, before section 1: headed
        by what they are (a heading of the redline's own, as its notes are, not of the policy)."""
        heading = "Before section 1: " + "; ".join(FRONT[c.id] for c in self.comparison.front)
        clauses = tuple(ClauseEntry(c.id, "here", c, "", "", 0, FRONT_NOTES[c.kind], ("", ""),
                                    clause_pieces(c, self.sides)) for c in self.comparison.front)
        title = tuple(self.sides.kept([(t, (False, False, False, "")) for t in TOKEN.findall(heading)]))
        return SectionEntry("_front", "here", SectionChange("_front", "same", None, None), "", "", title, "",
                            ("", ""), clauses, True)

    def moved_away(self, section: SectionChange) -> SectionEntry:
        clauses = [self.clause(b, d, "moved-from") for b, d in _walk(section.old.blocks)]
        return self.section(section, "moved-from", clauses)


def build_redline(comparison: Comparison) -> Redline:
    """The change model of one comparison: built once, written as HTML, PDF and Word."""
    return _Builder(comparison).build()
