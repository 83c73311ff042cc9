"""Numbering: sections 1, 2, 3; clauses 1.1, 1.1.1; unnumbered parts and blocks use no number."""

from __future__ import annotations

from policyc.compile.number import anchors, reference_text
from policyc.model import walk_blocks
from policyc.pipeline import check


def numbered(source):
    _, policies, _ = check(source)
    [policy] = policies
    return policy


def test_sections_and_clauses_are_numbered_in_order(mini):
    policy = numbered(mini)
    assert [(p.id, p.number) for p in policy.parts] == [
        ("about", "1"), ("principles", "2"), ("reporting", "3"), ("changes", "")]
    numbers = {b.id: b.number for p in policy.parts for b in walk_blocks(p.blocks)}
    assert numbers == {"purpose": "1.1", "personal-use": "1.2", "breaches": "1.3", "eyfs": "1.4",
                       "golden": "2.1", "tell-dsl": "3.1", "tell-dsl-how": "3.1.1"}


def test_a_clause_left_out_for_the_school_leaves_no_gap(mini):
    school = mini / "schools" / "oak-primary.yaml"
    school.write_text(school.read_text().replace("phase: primary", "phase: secondary"))  # no EYFS clause
    numbers = {b.id: b.number for p in numbered(mini).parts for b in walk_blocks(p.blocks)}
    assert "eyfs" not in numbers and numbers["breaches"] == "1.3" and numbers["golden"] == "2.1"


def test_anchors_give_every_section_and_clause_its_number_and_title(mini):
    table = anchors(numbered(mini))
    assert table["about"] == ("1", "About this policy")
    assert table["golden"] == ("2.1", "The golden principles")
    assert table["tell-dsl-how"] == ("3.1.1", "")
    assert table["changes"] == ("", "Appendix 1 – Table of changes")


def test_a_reference_reads_as_the_number_or_the_quoted_title():
    assert reference_text("2.1", "The golden principles") == "2.1"
    assert reference_text("", "Appendix 1") == "‘Appendix 1’"
    assert reference_text("", "") == "this paragraph"
