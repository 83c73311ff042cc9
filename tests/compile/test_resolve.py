"""Resolution: the model plus a school's overlay gives one concrete policy."""

from __future__ import annotations

import pytest

from policyc.model import walk_blocks
from policyc.errors import InvalidSource
from policyc.pipeline import check
from tests.helpers import write_tree


def ids(policy) -> list[str]:
    return [b.id for p in policy.parts for b in walk_blocks(p.blocks)]


def texts(policy) -> dict[str, str]:
    return {b.id: b.body.text for p in policy.parts for b in walk_blocks(p.blocks)}


def school(mini, body: str) -> None:
    (mini / "schools" / "oak-primary.yaml").write_text(body)


def test_defaults_options_and_phases(mini):
    school(mini, "name: Oak Secondary\nphase: secondary\n")
    _, [policy], _ = check(mini)
    assert "eyfs" not in ids(policy)  # primary and nursery only
    assert texts(policy)["personal-use"].startswith("Occasional")  # the model's default
    assert policy.ratification.status == "draft"
    assert policy.body == "Local Governing Body"  # the trust's usual body


def test_remove_replace_and_add_by_id(mini):
    school(mini, """\
name: Oak Primary
phase: primary
policies:
  social-media:
    remove: [breaches]
    replace:
      - id: purpose
        text: Our own words.
    add:
      - after: purpose
        clause: {id: local, text: A clause of our own.}
      - before: purpose
        clause: {id: first, text: Before everything.}
      - into: reporting
        clause: {id: at-end, text: Last in reporting.}
      - into: tell-dsl
        clause: {id: child, text: A sub-clause.}
      - after: principles
        section:
          id: forest
          kind: general
          title: Forest School
          clauses: [{id: forest-photos, text: Photos at Forest School.}]
""")
    _, [policy], _ = check(mini)
    assert ids(policy)[:4] == ["first", "purpose", "local", "personal-use"]
    assert "breaches" not in ids(policy)
    assert texts(policy)["purpose"] == "Our own words."
    assert [p.id for p in policy.parts] == ["about", "principles", "forest", "reporting", "changes"]
    reporting = next(p for p in policy.parts if p.id == "reporting")
    assert [b.id for b in reporting.blocks] == ["tell-dsl", "at-end"]
    assert [c.id for c in reporting.blocks[0].children] == ["tell-dsl-how", "child"]
    origins = {b.id: b.origin for p in policy.parts for b in walk_blocks(p.blocks)}
    assert origins["local"] == "added" and origins["purpose"] == "replaced" and origins["personal-use"] == "model"


def test_numbers_follow_the_tailored_text(mini):
    school(mini, """\
name: Oak Primary
phase: primary
policies:
  social-media:
    add:
      - before: purpose
        clause: {id: first, text: Before everything.}
""")
    _, [policy], _ = check(mini)
    numbers = {b.id: b.number for p in policy.parts for b in walk_blocks(p.blocks)}
    assert numbers["first"] == "1.1" and numbers["purpose"] == "1.2" and numbers["personal-use"] == "1.3"
    assert numbers["golden"] == "2.1" and numbers["tell-dsl-how"] == "3.1.1"
    changes = next(p for p in policy.parts if p.id == "changes")
    assert changes.number == ""  # unnumbered sections take no number


def test_placeholder_values_come_from_school_then_trust(mini):
    school(mini, """\
name: Oak Primary
short_name: Oak
phase: primary
roles: {dsl: {title: Designated Senior Person, name: Sam Lee}}
terms: {pupils: learners}
approving_body: Management Committee
""")
    _, [policy], _ = check(mini)
    values = policy.placeholder_map()
    assert values["role.dsl"] == "Designated Senior Person" and values["holder.dsl"] == "Sam Lee"
    assert values["role.headteacher"] == "Headteacher"  # the trust's title where the school has none
    assert values["term.pupils"] == "learners" and values["term.staff"] == "staff"
    assert values["school.short_name"] == "Oak" and values["body.name"] == "Management Committee"


def test_next_review_is_computed_from_the_cycle(mini):
    school(mini, """\
name: Oak Primary
phase: primary
policies:
  social-media:
    ratification:
      status: ratified
      date: 2024-01-31
      review_cycle: every 13 months
      signatories: [{name: A, role: Chair}]
""")
    _, [policy], _ = check(mini)
    assert policy.ratification.next_review.isoformat() == "2025-02-28"


def test_numbering_style_one_numbers_sections_and_titled_subsections_only(mini):
    policy_file = mini / "policies" / "social-media.yaml"
    policy_file.write_text(policy_file.read_text().replace('numbering: "1.1 (a)"', 'numbering: "1"'))
    _, [policy], _ = check(mini)
    numbers = {b.id: b.number for p in policy.parts for b in walk_blocks(p.blocks)}
    assert numbers["purpose"] == "" and numbers["golden"] == "2.1"
    assert [p.number for p in policy.parts] == ["1", "2", "3", ""]
    breaches = next(b for p in policy.parts for b in walk_blocks(p.blocks) if b.id == "breaches")
    assert breaches.list_style == "bullet"


def test_numbering_none(mini):
    policy_file = mini / "policies" / "social-media.yaml"
    policy_file.write_text(policy_file.read_text().replace('numbering: "1.1 (a)"', "numbering: none"))
    _, [policy], _ = check(mini)
    assert all(not b.number for p in policy.parts for b in walk_blocks(p.blocks))
    assert all(not p.number for p in policy.parts)


def test_every_school_gets_every_policy(tmp_path, mini):
    write_tree(mini, {"schools/elm-secondary.yaml": "name: Elm\nphase: secondary\n"})
    _, policies, _ = check(mini)
    assert sorted(p.school_slug for p in policies) == ["elm-secondary", "oak-primary"]


def test_policy_says_who_approves_it(mini):
    """A trust-wide policy is approved by the trust board, whatever the school's own body."""
    school(mini, "name: Oak Primary\nphase: primary\napproving_body: Local Academy Committee\n")
    _, [policy], _ = check(mini)
    assert (policy.approver, policy.body) == ("school", "Local Academy Committee")
    path = mini / "policies" / "social-media.yaml"
    path.write_text(path.read_text().replace("numbering:", "approver: trust\nreview_cycle: triennially\nnumbering:"))
    (mini / "trust.yaml").write_text((mini / "trust.yaml").read_text() + "board: Trust Board\n")
    _, [policy], _ = check(mini)
    assert (policy.approver, policy.body) == ("trust", "Trust Board")
    assert policy.ratification.review_cycle == "triennially"
    path.write_text(path.read_text().replace("approver: trust", "approver: trust\napproving_body: Audit and Risk Committee"))
    _, [policy], _ = check(mini)
    assert policy.body == "Audit and Risk Committee"


def test_trust_name_and_phase_are_optional(mini):
    """A single school's own document names no trust and no phase."""
    (mini / "trust.yaml").write_text((mini / "trust.yaml").read_text().replace("name: Test Trust\n", ""))
    school(mini, "name: Oak School\n")
    _, [policy], _ = check(mini)
    assert policy.trust_name == "" and "eyfs" not in ids(policy)
    path = mini / "policies" / "social-media.yaml"
    path.write_text(path.read_text().replace("Tell the {{ role.dsl }}", "Tell {{ trust.name }}"))
    with pytest.raises(InvalidSource) as caught:
        check(mini)
    assert "{{ trust.name }} is used but trust.yaml gives no name" in caught.value.errors[0].message
