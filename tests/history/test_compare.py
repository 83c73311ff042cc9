"""Property tests for clause-level comparison: matched by id, never by position.

A base policy is built once from a small source folder; hypothesis draws edit scripts
(reword, delete, insert, move to another section or under another clause, change a
placeholder value) applied to the resolved objects with dataclasses.replace and then
renumbered. Whatever the script, compare() must name exactly the clauses the script
touched, however many others were renumbered.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field, replace

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from policyc.compile.number import number_policy
from policyc.history.compare import change_kind, compare, propose_version, walk
from policyc.history.snapshot import version_key
from policyc.model import Block, ClauseBody, Part, ResolvedPolicy
from policyc.pipeline import check_all
from policyc.render.redline import build_sections, summary
from tests.helpers import TRUST, write_tree

POLICY = """\
id: conduct
title: Staff Conduct Online
numbering: "1.1 (a)"
values: {helpline: the Online Safety Helpline}
sections:
  - id: about
    kind: scope
    title: About this policy
    clauses:
      - id: purpose
        text: This policy protects {{ school.name }}. See paragraph [[tell]].
      - id: approval
        text: The {{ body.name }} approves this policy.
      - id: devices
        text: "School devices:"
        clauses:
          - id: devices-loan
            text: are lent for work only;
          - id: devices-return
            text: are returned when you leave.
      - id: breaches
        text: "You must not use social media to:"
        items: [breach our ICT policies;, breach our Staff Code of Conduct.]
  - id: principles
    kind: principles
    title: Key principles
    clauses:
      - id: golden
        title: The golden principles
        duties:
          must: {lead: "An individual is under a duty to:", items: [Maintain proper professional boundaries]}
          must_not: {lead: "An individual is under a duty not to:", items: [Bring the school into disrepute]}
      - id: boundaries
        text: Keep clear boundaries with {{ term.pupils }}.
  - id: reporting
    kind: incidents
    title: Reporting concerns
    clauses:
      - id: tell
        text: Tell {{ holder.dsl }}, the {{ role.dsl }}, at once.
        clauses:
          - id: tell-how
            text: In person or by email.
          - id: tell-record
            text: Write down what you saw.
      - id: helpline
        text: You may also call {{ value.helpline }}.
  - id: monitoring
    kind: monitoring
    title: Monitoring
    clauses:
      - id: monitor-use
        text: The school may monitor the use of its systems.
      - id: monitor-law
        text: Monitoring follows data protection law.
"""

SCHOOL = """\
name: Oak Primary School
phase: primary
roles: {dsl: {name: Jo Bloggs}}
"""

# Placeholders the base text uses, so a new value is a changed detail.
USED = ("school.name", "body.name", "holder.dsl", "role.dsl", "term.pupils", "value.helpline")


@pytest.fixture(scope="module")
def base(tmp_path_factory) -> ResolvedPolicy:
    root = write_tree(tmp_path_factory.mktemp("compare") / "src", {
        "trust.yaml": TRUST, "policies/conduct.yaml": POLICY, "schools/oak-primary.yaml": SCHOOL})
    [policy] = check_all(root).policies
    assert len(list(_ids(policy))) == 14
    return policy


def _ids(policy: ResolvedPolicy):
    return (b.id for p in policy.parts for b in walk(p.blocks))


# --- edit scripts on a mutable copy of the tree ----------------------------------------------

@dataclass
class Node:
    block: Block
    children: list["Node"]


@dataclass
class Edited:
    """A policy under edit, and what the script did to it (net of later edits)."""

    parts: list[tuple[Part, list[Node]]]
    placeholders: dict[str, str]
    original: set[str]
    reworded: set[str] = field(default_factory=set)
    inserted: set[str] = field(default_factory=set)
    moved: set[str] = field(default_factory=set)
    removed: set[str] = field(default_factory=set)
    counter: itertools.count = field(default_factory=lambda: itertools.count(1))

    @classmethod
    def of(cls, policy: ResolvedPolicy) -> "Edited":
        def nodes(blocks):
            return [Node(b, nodes(b.children)) for b in blocks]
        return cls([(p, nodes(p.blocks)) for p in policy.parts], policy.placeholder_map(), set(_ids(policy)))

    def lists(self) -> list[tuple[str, list[Node]]]:
        """Every list of clauses, with its owner's id: each section's, then each clause's sub-clauses."""
        out = []

        def visit(owner, nodes):
            out.append((owner, nodes))
            for node in nodes:
                visit(node.block.id, node.children)
        for part, nodes in self.parts:
            visit(part.id, nodes)
        return out

    def clauses(self) -> list[tuple[str, list[Node], Node]]:
        return [(owner, nodes, node) for owner, nodes in self.lists() for node in nodes]

    def policy(self, old: ResolvedPolicy) -> ResolvedPolicy:
        def blocks(nodes):
            return tuple(replace(n.block, children=blocks(n.children), number="") for n in nodes)
        parts = tuple(replace(p, blocks=blocks(nodes), number="") for p, nodes in self.parts)
        return number_policy(replace(old, parts=parts, placeholders=tuple(sorted(self.placeholders.items()))))

    # the edits; each takes indices that are taken modulo what there is

    def reword(self, i: int) -> None:
        found = self.clauses()
        if not found:
            return
        node = found[i % len(found)][2]
        body = replace(node.block.body, text=f"Reworded text number {next(self.counter)}.")
        node.block = replace(node.block, body=body)
        if node.block.id in self.original:
            self.reworded.add(node.block.id)

    def delete(self, i: int) -> None:
        found = self.clauses()
        if not found:
            return
        _, siblings, node = found[i % len(found)]
        siblings.remove(node)

        def gone(n: Node):
            block_id = n.block.id
            for group in (self.reworded, self.moved, self.inserted):
                group.discard(block_id)
            if block_id in self.original:
                self.removed.add(block_id)
            for child in n.children:
                gone(child)
        gone(node)

    def insert(self, i: int, j: int) -> None:
        lists = self.lists()
        _, target = lists[i % len(lists)]
        new_id = f"new-{next(self.counter)}"
        block = Block(new_id, ClauseBody(text=f"A new paragraph, {new_id}."), (), self.parts[0][0].position,
                      True, "letter")
        target.insert(j % (len(target) + 1), Node(block, []))
        self.inserted.add(new_id)

    def move(self, i: int, j: int, k: int) -> None:
        """Move a clause, with its sub-clauses, to another section or under another clause."""
        found = [c for c in self.clauses() if c[2].block.id not in self.moved]
        if not found:
            return
        owner, siblings, node = found[i % len(found)]
        siblings.remove(node)
        targets = [(o, nodes) for o, nodes in self.lists() if o != owner]
        if not targets:
            siblings.append(node)
            return
        _, target = targets[j % len(targets)]
        target.insert(k % (len(target) + 1), node)
        if node.block.id in self.original:
            self.moved.add(node.block.id)

    def value(self, i: int) -> None:
        name = USED[i % len(USED)]
        self.placeholders[name] = f"New value {next(self.counter)}"


EDITS = st.one_of(
    st.tuples(st.just("reword"), st.integers(0, 40)),
    st.tuples(st.just("delete"), st.integers(0, 40)),
    st.tuples(st.just("insert"), st.integers(0, 40), st.integers(0, 10)),
    st.tuples(st.just("move"), st.integers(0, 40), st.integers(0, 40), st.integers(0, 10)),
    st.tuples(st.just("value"), st.integers(0, 40)),
)
SCRIPTS = st.lists(EDITS, max_size=8)
FAST = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


def apply(base: ResolvedPolicy, script) -> tuple[ResolvedPolicy, Edited]:
    edited = Edited.of(base)
    for op, *args in script:
        getattr(edited, op)(*args)
    return edited.policy(base), edited


def numbers_of(policy: ResolvedPolicy) -> dict[str, str]:
    return {b.id: b.number for p in policy.parts for b in walk(p.blocks)}


# --- properties ---------------------------------------------------------------------------

@FAST
@given(script=SCRIPTS)
def test_any_policy_compared_with_itself_has_no_changes(base, script):
    policy, _ = apply(base, script)
    comparison = compare(policy, policy)
    assert not comparison.has_changes and not comparison.values
    assert all(c.kind == "same" and not c.moved and not c.renumbered for c in comparison.clauses.values())
    assert comparison.affected_paragraphs() == "None (no change to the text)"
    assert change_kind(comparison) == "none"


@FAST
@given(script=SCRIPTS)
def test_exactly_the_edited_clauses_are_affected_however_many_were_renumbered(base, script):
    new, done = apply(base, script)
    comparison = compare(base, new)
    clauses = comparison.clauses

    assert {i for i, c in clauses.items() if c.kind == "added"} == done.inserted
    assert {i for i, c in clauses.items() if c.kind == "removed"} == done.removed
    assert {i for i, c in clauses.items() if c.kind == "changed"} == done.reworded
    assert {i for i, c in clauses.items() if c.moved} == done.moved
    affected = {i for i, c in clauses.items() if c.affected}
    assert affected == done.inserted | done.removed | done.reworded | done.moved
    assert not {c.id for c in comparison.renumbered_only} & affected

    # The change-log cell names those clauses, new ones and moves in the new numbering, and nothing else.
    old_numbers, new_numbers = numbers_of(base), numbers_of(new)
    expected = []
    for block_id in new_numbers:  # in the new document's order
        if block_id in done.inserted:
            expected.append(f"{new_numbers[block_id]} (new)")
        elif block_id in done.moved:
            expected.append(f"{new_numbers[block_id]} (moved from {old_numbers[block_id]})")
        elif block_id in done.reworded:
            expected.append(new_numbers[block_id])
    expected += [f"{old_numbers[i]} removed" for i in old_numbers if i in done.removed]
    assert comparison.affected_paragraphs() == ("; ".join(expected) or "None (no change to the text)")

    kind = change_kind(comparison)
    if done.inserted or done.removed:
        assert kind == "structure"
    elif done.reworded or done.moved:
        assert kind == "wording"
    else:
        assert kind == ("values" if new.placeholders != base.placeholders else "none")

    # The redline shows every clause exactly once, in its own words where they did not change
    # (a moved clause's old place holds only a note saying where it went).
    shown = [c for s in build_sections(comparison) for c in s.clauses if c.place != "moved-from"]
    assert sorted(c.change.id for c in shown) == sorted(clauses)
    for clause in shown:
        if clause.change.kind == "same":
            assert "<ins>" not in clause.body and "<del>" not in clause.body, clause
    assert summary(comparison, "old", "new")[3] == (
        f"{len(done.moved)} paragraph{'' if len(done.moved) == 1 else 's'} moved".replace("0 paragraphs", "No paragraphs")
        + (": " if done.moved else "")
        + ", ".join(f"{old_numbers[i]} is now {new_numbers[i]}" for i in new_numbers if i in done.moved))


@FAST
@given(names=st.lists(st.integers(0, len(USED) - 1), min_size=1, max_size=4))
def test_new_placeholder_values_only_are_a_values_change_with_no_affected_clause(base, names):
    new, done = apply(base, [("value", n) for n in names])
    comparison = compare(base, new)
    assert change_kind(comparison) == "values"
    assert not [c for c in comparison.clauses.values() if c.affected]
    assert not comparison.has_changes and comparison.affected_paragraphs() == "None (no change to the text)"
    assert [name for name, _, _ in comparison.values] == sorted({USED[n] for n in names})
    assert all(after.startswith("New value") for _, _, after in comparison.values)
    assert all("<ins>" not in c.body and "<del>" not in c.body
               for s in build_sections(comparison) for c in s.clauses)


VERSIONS = st.lists(st.integers(0, 30), min_size=1, max_size=4).map(lambda ns: ".".join(map(str, ns)))
KINDS = st.sampled_from(["structure", "wording", "values", "none"])


@settings(max_examples=60, deadline=None)
@given(previous=VERSIONS, kinds=st.lists(KINDS, min_size=1, max_size=6))
def test_proposed_versions_always_sort_after_the_previous_one(previous, kinds):
    version = previous
    for kind in kinds:
        proposed = propose_version(version, kind)
        assert proposed and version_key(proposed) > version_key(version), (version, kind, proposed)
        version = proposed


# --- moves within one list of clauses, where a move has two readings ------------------------------

def _reorder(base: ResolvedPolicy, section: str, order: list[str]) -> ResolvedPolicy:
    parts = []
    for part in base.parts:
        if part.id == section:
            by_id = {b.id: b for b in part.blocks}
            part = replace(part, blocks=tuple(by_id[i] for i in order))
        parts.append(part)
    return number_policy(replace(base, parts=tuple(parts)))


@FAST
@given(data=st.data())
def test_a_clause_moved_within_its_section_is_one_move(base, data):
    about = [b.id for b in next(p for p in base.parts if p.id == "about").blocks]
    moving = data.draw(st.sampled_from(about))
    rest = [i for i in about if i != moving]
    at = data.draw(st.integers(0, len(rest)))
    order = rest[:at] + [moving] + rest[at:]
    comparison = compare(base, _reorder(base, "about", order))
    moved = [c.id for c in comparison.moved]
    jump = abs(about.index(moving) - order.index(moving))
    if jump == 0:
        assert moved == []
    elif jump == 1:  # a swap of neighbours: either may be the one that moved
        assert len(moved) == 1 and moved[0] in (moving, order[about.index(moving)])
    else:
        assert moved == [moving]
    assert not [c for c in comparison.clauses.values() if c.affected and c.id not in moved]
    assert comparison.affected_paragraphs().count("(moved from") == len(moved)
    # the sub-clauses of a moved clause go with it and are not moves of their own
    assert "devices-loan" not in moved and "devices-return" not in moved


def test_a_moved_section_is_one_move_not_a_move_of_each_clause(base):
    parts = list(base.parts)
    parts[1], parts[2] = parts[2], parts[1]  # reporting before principles
    comparison = compare(base, number_policy(replace(base, parts=tuple(parts))))
    assert not [c for c in comparison.clauses.values() if c.affected]
    assert comparison.affected_paragraphs() == "2 (moved from 3)"
    assert change_kind(comparison) == "wording"
    lines = summary(comparison, "old", "new")
    assert "No paragraphs moved" in lines and "Section moved: 2 Reporting concerns (was section 3)" in lines


def test_a_clause_moved_with_its_sub_clauses_to_the_top_of_the_next_section_is_one_move(base):
    """The regression: moving a clause just past a neighbour made the neighbour look moved too."""
    edited = Edited.of(base)
    lists = dict(edited.lists())
    tell = next(n for n in lists["reporting"] if n.block.id == "tell")
    lists["reporting"].remove(tell)
    lists["monitoring"].insert(0, tell)
    new = edited.policy(base)
    assert numbers_of(new)["helpline"] == "3.1" and numbers_of(new)["tell-how"] == "4.1.1"
    comparison = compare(base, new)
    assert [c.id for c in comparison.moved] == ["tell"]
    assert comparison.affected_paragraphs() == "4.1 (moved from 3.1)"
