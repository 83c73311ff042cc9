"""Applicability: a policy for some phases only, a school opting out with its reason."""

from __future__ import annotations

import re

import pytest

from policyc.errors import InvalidSource
from policyc.pipeline import check
from tests.helpers import write_tree

PHONES = """\
id: mobile-phones
title: Mobile Phones and Smart Devices Policy
applies_to: {phases: [primary, secondary]}
sections:
  - id: pupils-phones
    kind: practice
    title: Pupils' phones
    clauses:
      - id: handed-in
        text: Pupils who bring a phone to school hand it in at the office when they arrive.
"""


@pytest.fixture
def trust_of_three(mini):
    (mini / "policies" / "mobile-phones.yaml").write_text(PHONES)
    write_tree(mini / "schools", {
        "acorn-nursery.yaml": "name: Acorn Nursery School\nphase: nursery\n",
        "moor-high.yaml": """\
            name: Moor High School
            phase: secondary
            policies:
              social-media:
                applies: false
                reason: covered by the Staff Code of Conduct until the governors meet in March
            """})
    return mini


def test_only_applicable_policies_are_built(trust_of_three):
    _, policies, _ = check(trust_of_three)
    assert sorted((p.school_slug, p.policy_id) for p in policies) == [
        ("acorn-nursery", "social-media"), ("moor-high", "mobile-phones"),
        ("oak-primary", "mobile-phones"), ("oak-primary", "social-media")]


def test_dashboard_shows_who_has_which_policy_and_why_not(trust_of_three, tmp_path, run):
    out = tmp_path / "out"
    assert run("--source", trust_of_three, "--output", out, "--format", "html", "--today", "2026-11-22").code == 0
    assert not (out / "acorn-nursery" / "mobile-phones.html").exists()
    assert not (out / "moor-high" / "social-media.html").exists()
    html = (out / "dashboard.html").read_text(encoding="utf-8")
    table = html[html.index('id="which-policies"'):]
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", table))
    # Columns in policy order: mobile phones, then social media.
    # A policy never ratified is "in preparation", pointing at its proposed text in the review area.
    assert "Acorn Nursery School Not applicable: for primary and secondary schools only In preparation" in text
    assert ("Not applicable: covered by the Staff Code of Conduct until the governors meet in March" in text)
    assert 'href="review/moor-high/mobile-phones.html"' in table
    assert 'href="oak-primary/social-media.html">Has it' in table  # ratified: its public page


def test_opting_out_needs_a_reason(trust_of_three):
    path = trust_of_three / "schools" / "moor-high.yaml"
    path.write_text(re.sub(r"\n\s*reason:.*", "", path.read_text()))
    with pytest.raises(InvalidSource) as caught:
        check(trust_of_three)
    [problem] = caught.value.errors
    assert "opts out of 'social-media' without saying why" in problem.message
    assert problem.position.line == 5
