"""Policies that know each other: [[policy]] and [[policy#clause]] across a school's policies."""

from __future__ import annotations

import pytest

from policyc.errors import InvalidSource
from policyc.pipeline import check

ONLINE_SAFETY = """\
id: online-safety
title: Online Safety Policy
sections:
  - id: filtering-and-monitoring
    kind: monitoring
    title: Filtering and monitoring
    clauses:
      - id: filtering
        text: The school's internet connection is filtered to block harmful and inappropriate content.
"""


@pytest.fixture
def two_policies(mini):
    (mini / "policies" / "online-safety.yaml").write_text(ONLINE_SAFETY)
    return mini


def _refer(mini, words: str) -> None:
    path = mini / "policies" / "social-media.yaml"
    path.write_text(path.read_text().replace("Tell the {{ role.dsl }} at once.", words))


def _ratify_online_safety(mini) -> None:
    path = mini / "schools" / "oak-primary.yaml"
    path.write_text(path.read_text() + """\
  online-safety:
    ratification:
      status: ratified
      date: 2026-09-15
      version: '1.0'
      signatories: [{name: Ann Chair, role: Chair of Governors}]
""")


@pytest.mark.slow
@pytest.mark.pdf
def test_a_reference_to_a_sibling_policy_links_to_the_schools_copy(two_policies, tmp_path, run):
    _refer(two_policies, "Read the [[online-safety]], in particular paragraph [[online-safety#filtering]].")
    _ratify_online_safety(two_policies)
    out = tmp_path / "out"
    assert run("--source", two_policies, "--output", out, "--today", "2026-11-22").code == 0
    html = (out / "oak-primary" / "social-media.html").read_text(encoding="utf-8")
    assert ('Read the <a href="online-safety.html">Online Safety Policy</a>, in particular paragraph '
            '<a href="online-safety.html#filtering">1.1 of the Online Safety Policy</a>.') in html
    assert (out / "oak-primary" / "online-safety.html").exists()
    from tests.pdftext import page_texts
    text = " ".join(page_texts(out / "oak-primary" / "social-media.pdf"))
    assert "in particular paragraph 1.1 of the Online Safety Policy" in " ".join(text.split())


@pytest.mark.slow
def test_a_public_page_never_links_to_a_sibling_still_in_preparation(two_policies, tmp_path, run):
    _refer(two_policies, "Read the [[online-safety]].")
    out = tmp_path / "out"
    assert run("--source", two_policies, "--output", out, "--format", "html", "--today", "2026-11-22").code == 0
    public = (out / "oak-primary" / "social-media.html").read_text(encoding="utf-8")
    assert "Read the Online Safety Policy." in public  # its words, with no link to a page the school lacks
    assert not (out / "oak-primary" / "online-safety.html").exists()
    # The proposed sibling, in the review area, links to the school's public copy in force.
    path = two_policies / "policies" / "online-safety.yaml"
    path.write_text(path.read_text().replace("inappropriate content.", "inappropriate content, as the [[social-media]] says."))
    assert run("--source", two_policies, "--output", out, "--format", "html", "--today", "2026-11-22").code == 0
    review = (out / "review" / "oak-primary" / "online-safety.html").read_text(encoding="utf-8")
    assert 'as the <a href="../../oak-primary/social-media.html">Staff Social Media Policy</a> says.' in review


@pytest.mark.parametrize("written, hint", [
    ("[[online-safty#filtering]]", "did you mean [[online-safety#filtering]]?"),
    ("[[online-safety#filterin]]", "did you mean [[online-safety#filtering]]?"),
])
def test_a_wrong_policy_or_clause_is_located_with_a_suggestion(two_policies, written, hint):
    _refer(two_policies, f"See {written}.")
    with pytest.raises(InvalidSource) as caught:
        check(two_policies)
    [problem] = caught.value.errors
    assert problem.hint == hint and f"{written} names no clause or section" in problem.message
    assert problem.position.file.endswith("social-media.yaml") and problem.position.column > 1


def test_a_reference_to_a_policy_the_school_does_not_have_is_an_error(two_policies):
    _refer(two_policies, "See the [[online-safety]].")
    path = two_policies / "schools" / "oak-primary.yaml"
    path.write_text(path.read_text() + "  online-safety:\n    applies: false\n    reason: the federation's own policy\n")
    with pytest.raises(InvalidSource) as caught:
        check(two_policies)
    [problem] = caught.value.errors
    assert ("[[online-safety]] refers to the Online Safety Policy, which Oak Primary School does not have "
            "(the federation's own policy)") in problem.message
