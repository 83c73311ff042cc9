"""Compare two resolved policies clause by clause, by stable id, never by position.

Why by id: a clause inserted near the top renumbers everything below it, and a diff by
position would report every one of those paragraphs. Matching by id, a renumbered clause
is unchanged, a moved clause is one move (not a deletion and an insertion), and a new
headteacher's name is a changed value, not changed wording.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from typing import Optional

from policyc.errors import Position
from policyc.model import Block, ClauseBody, Part, ResolvedPolicy, body_parts, item_texts
from policyc.text.placeholders import uses


@dataclass(frozen=True)
class ClauseChange:
    id: str
    kind: str  # "same", "changed", "added", "removed"
    old: Optional[Block]
    new: Optional[Block]
    moved: bool = False

    @property
    def old_number(self) -> str:
        return self.old.number if self.old else ""

    @property
    def new_number(self) -> str:
        return self.new.number if self.new else ""

    @property
    def renumbered(self) -> bool:
        return self.kind in ("same", "changed") and self.old_number != self.new_number

    @property
    def affected(self) -> bool:
        return self.kind != "same" or self.moved


@dataclass(frozen=True)
class SectionChange:
    id: str
    kind: str  # "same", "changed" (title), "added", "removed"
    old: Optional[Part]
    new: Optional[Part]
    moved: bool = False


@dataclass(frozen=True)
class Comparison:
    old: ResolvedPolicy
    new: ResolvedPolicy
    clauses: dict[str, ClauseChange]
    sections: dict[str, SectionChange]
    values: list[tuple[str, str, str]] = field(default_factory=list)  # name, old, new
    old_labels: dict[str, str] = field(default_factory=dict)  # clause id -> how to name it in words
    new_labels: dict[str, str] = field(default_factory=dict)
    front: tuple[ClauseChange, ...] = ()  # the words outside any section (FRONT) that changed

    def label(self, change: "ClauseChange", side: str) -> str:
        return (self.new_labels if side == "new" else self.old_labels).get(change.id, change.id)

    def of_kind(self, kind: str) -> list[ClauseChange]:
        return [c for c in self.clauses.values() if c.kind == kind]

    @property
    def moved(self) -> list[ClauseChange]:
        return [c for c in self.clauses.values() if c.moved]

    @property
    def renumbered_only(self) -> list[ClauseChange]:
        return [c for c in self.clauses.values() if c.kind == "same" and not c.moved and c.renumbered]

    @property
    def has_changes(self) -> bool:
        return (any(c.affected for c in self.clauses.values()) or bool(self.front)
                or any(s.kind != "same" or s.moved for s in self.sections.values()))

    def footprint(self) -> frozenset:
        """Which clauses and sections change and how, and which values: two copies of a policy
        with the same footprint carry the same changes (in their own names and numbers)."""
        return frozenset([("clause", c.id, c.kind, c.moved) for c in self.clauses.values() if c.affected]
                         + [("section", s.id, s.kind, s.moved) for s in self.sections.values()
                            if s.kind != "same" or s.moved]
                         + [("value", name) for name, _, _ in self.values]
                         + [("front", c.id, c.kind) for c in self.front])

    def affected_paragraphs(self) -> str:
        """'6.5; 6.11 (new); 3.4 removed', in the numbering of the new version."""
        words = [FRONT[c.id] for c in self.front]
        for change in _in_new_order(self):
            label = self.label(change, "new")
            if change.kind == "added":
                words.append(f"{label} (new)")
            elif change.moved:
                words.append(f"{label} (moved from {self.label(change, 'old')})")
            elif change.kind == "changed":
                words.append(label)
        for change in self.of_kind("removed"):
            words.append(f"{self.label(change, 'old')} removed")
        for s in self.sections.values():
            if s.kind == "added" and not s.new.blocks:
                words.append(f"{s.new.number or s.new.title} (new)")
            elif s.kind == "changed":
                words.append(f"{s.new.number or s.new.title} (heading)")
            if s.moved:
                words.append(f"{s.new.number or s.new.title} (moved from {s.old.number or s.old.title})")
        return "; ".join(words) if words else "None (no change to the text)"

    def reason(self, item_id: str) -> tuple[str, str]:
        """Why this change was made and who proposed it, as the newer text's sources say:
        ("", "") when they say nothing new (a reason already given for an earlier version
        that nobody rewrote belongs to that version, not to this change)."""
        given = self.new.reason_for(item_id)
        return given if given[0] and given != self.old.reason_for(item_id) else ("", "")

    def reasons(self) -> list[tuple[str, str, str]]:
        """(what changed, why, proposed by) for every change that carries a reason, in the
        newer version's order, removals last: the governors' summary."""
        out = []
        for s in self.sections.values():
            if (s.kind != "same" or s.moved) and s.kind != "removed" and self.reason(s.id)[0]:
                out.append((f"Section {s.new.number or s.new.title}", *self.reason(s.id)))
        for change in _in_new_order(self):
            if self.reason(change.id)[0]:
                out.append((self.label(change, "new"), *self.reason(change.id)))
        for change in self.of_kind("removed"):
            if self.reason(change.id)[0]:
                out.append((f"{self.label(change, 'old')} (removed)", *self.reason(change.id)))
        for s in self.sections.values():
            if s.kind == "removed" and self.reason(s.id)[0]:
                out.append((f"Section {s.old.number or s.old.title} (removed)", *self.reason(s.id)))
        return out

    def reason_summary(self) -> str:
        """The reasons as one entry for a table of changes: '6.5: why (proposed by X); …'."""
        return "; ".join(f"{what}: {why.rstrip('.')}" + (f" (proposed by {by})" if by else "")
                         for what, why, by in self.reasons())

    def proposers(self) -> str:
        return ", ".join(dict.fromkeys(by for _, _, by in self.reasons() if by))


def labels(policy: ResolvedPolicy) -> dict[str, str]:
    """How each clause is named in a change log: its number; else its title; else its place,
    such as '2 (para 3)' for the third paragraph of an unnumbered-paragraph section 2."""
    names = {}
    for part in policy.parts:
        section = part.number or f"‘{part.title}’"
        for place, block in enumerate(walk(part.blocks), start=1):
            names[block.id] = block.number or (f"‘{block.body.title}’" if block.body.title
                                               else f"{section} (para {place})")
    return names


def _in_new_order(comparison: Comparison) -> list[ClauseChange]:
    order = [b.id for p in comparison.new.parts for b in walk(p.blocks)]
    return [comparison.clauses[i] for i in order if comparison.clauses[i].affected]


def walk(blocks):
    for block in blocks:
        yield block
        yield from walk(block.children)


def _parents(policy: ResolvedPolicy) -> dict[str, str]:
    parents = {}

    def visit(blocks, parent):
        for block in blocks:
            parents[block.id] = parent
            visit(block.children, block.id)
    for part in policy.parts:
        visit(part.blocks, part.id)
    return parents


def _kept_in_order(old_parents: dict[str, str], new_parents: dict[str, str]) -> set[str]:
    """The clauses still in their order among the siblings they had before.

    Judged parent by parent, not over the whole document: a clause moved to another
    section must not make a neighbour it jumped over look moved, and a clause moved with
    its sub-clauses is one move, not one per sub-clause.
    """
    def siblings(parents, others):
        groups: dict[str, list[str]] = {}
        for block_id, parent in parents.items():
            if others.get(block_id) == parent:
                groups.setdefault(parent, []).append(block_id)
        return groups
    before, after = siblings(old_parents, new_parents), siblings(new_parents, old_parents)
    kept = set()
    for parent, old_order in before.items():
        matcher = difflib.SequenceMatcher(None, old_order, after[parent], autojunk=False)
        kept |= {old_order[m.a + k] for m in matcher.get_matching_blocks() for k in range(m.size)}
    return kept


def words_of(block: Block) -> tuple:
    """What counts as a clause's wording: its own text (and how its lists are marked), not its
    sub-clauses or number."""
    return tuple(body_parts(block.body, block.list_style))


def compare(old: ResolvedPolicy, new: ResolvedPolicy) -> Comparison:
    old_blocks = {b.id: b for p in old.parts for b in walk(p.blocks)}
    new_blocks = {b.id: b for p in new.parts for b in walk(p.blocks)}
    old_parents, new_parents = _parents(old), _parents(new)
    in_place = _kept_in_order(old_parents, new_parents)

    clauses: dict[str, ClauseChange] = {}
    for block_id, block in new_blocks.items():
        before = old_blocks.get(block_id)
        if before is None:
            clauses[block_id] = ClauseChange(block_id, "added", None, block)
            continue
        kind = "same" if words_of(before) == words_of(block) else "changed"
        moved = block_id not in in_place or old_parents[block_id] != new_parents[block_id]
        clauses[block_id] = ClauseChange(block_id, kind, before, block, moved)
    for block_id, block in old_blocks.items():
        if block_id not in new_blocks:
            clauses[block_id] = ClauseChange(block_id, "removed", block, None)

    old_parts = {p.id: p for p in old.parts}
    new_parts = {p.id: p for p in new.parts}
    common = [i for i in old_parts if i in new_parts]
    part_matcher = difflib.SequenceMatcher(None, common, [i for i in new_parts if i in old_parts], autojunk=False)
    parts_in_place = {common[m.a + k] for m in part_matcher.get_matching_blocks() for k in range(m.size)}
    sections: dict[str, SectionChange] = {}
    for part_id, part in new_parts.items():
        before = old_parts.get(part_id)
        if before is None:
            sections[part_id] = SectionChange(part_id, "added", None, part)
        else:
            kind = "same" if (before.title, before.kind) == (part.title, part.kind) else "changed"
            sections[part_id] = SectionChange(part_id, kind, before, part, part_id not in parts_in_place)
    for part_id, part in old_parts.items():
        if part_id not in new_parts:
            sections[part_id] = SectionChange(part_id, "removed", part, None)

    return Comparison(old, new, clauses, sections, _changed_values(old, new), labels(old), labels(new),
                      _front(old, new))


# The words of a policy outside its sections, as a change log names them; a change to them is
# a change to what governors ratify, shown like a paragraph's.
FRONT = {"title": "the title", "subtitle": "the subtitle", "preamble": "the words under the title",
         "opening": "the opening words before section 1"}


def _front(old: ResolvedPolicy, new: ResolvedPolicy) -> tuple[ClauseChange, ...]:
    out = []
    for name in FRONT:
        before, after = getattr(old, name), getattr(new, name)
        if before.strip() == after.strip():
            continue
        kind = "added" if not before.strip() else "removed" if not after.strip() else "changed"
        out.append(ClauseChange(name, kind, _as_block(name, before, old) if before.strip() else None,
                                _as_block(name, after, new) if after.strip() else None))
    return tuple(out)


def _as_block(name: str, text: str, policy: ResolvedPolicy) -> Block:
    return Block(name, ClauseBody(text=text), (), Position(policy.sources[0] if policy.sources else ""), False, "")


def used_names(policy: ResolvedPolicy) -> set[str]:
    names = set()
    texts = [policy.title, policy.preamble] + [p.title for p in policy.parts]
    for part in policy.parts:
        for block in walk(part.blocks):
            for piece in body_parts(block.body):
                texts += [piece.text, *item_texts(piece.items)]
    for text in texts:
        names |= {u.name for u in uses(text) if not isinstance(u, str)}
    return names


def _changed_values(old: ResolvedPolicy, new: ResolvedPolicy) -> list[tuple[str, str, str]]:
    a, b = old.placeholder_map(), new.placeholder_map()
    names = used_names(old) | used_names(new)
    return [(n, a.get(n, ""), b.get(n, "")) for n in sorted(names) if a.get(n) != b.get(n)]


def change_kind(comparison: Optional[Comparison]) -> str:
    """What kind of new version this is: 'structure', 'wording', 'values' or 'none'."""
    if comparison is None:
        return "first"
    if comparison.of_kind("added") or comparison.of_kind("removed") or any(
            s.kind in ("added", "removed") for s in comparison.sections.values()):
        return "structure"
    if comparison.of_kind("changed") or comparison.moved or comparison.front or any(
            s.kind == "changed" or s.moved for s in comparison.sections.values()):
        return "wording"
    if comparison.values:
        return "values"
    return "none"


def propose_version(previous: Optional[str], kind: str) -> str:
    """Next version from the kind of change: structure 2.0 -> 3.0, wording 2.0 -> 2.1, values 2.1 -> 2.1.1.

    A version that is not dotted numbers (such as 'V1') has no proposal: the person
    ratifying gives one.
    """
    if previous is None:
        return "1.0"
    pieces = previous.split(".")
    if not all(p.isdigit() for p in pieces):
        return ""
    numbers = [int(p) for p in pieces] + [0] * (3 - len(pieces))
    if kind == "structure":
        return f"{numbers[0] + 1}.0"
    if kind == "wording":
        return f"{numbers[0]}.{numbers[1] + 1}"
    return f"{numbers[0]}.{numbers[1]}.{numbers[2] + 1}"
