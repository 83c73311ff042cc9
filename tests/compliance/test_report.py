"""policyc compliance on the example trust: missing and overdue found, a body that may not
approve a policy named, the JSON and the exit code for a scheduled job, and the page in the
review area only."""

from __future__ import annotations

import json

from policyc.compliance.requirements import statutory
from tests.helpers import EXAMPLE, copy_tree, edit

TODAY = "2026-12-03"


def _findings(run, src, *extra):
    result = run("compliance", "--source", str(src), "--today", TODAY, "--json", *extra)
    assert result.code == 0, result.err
    return {(f["school"], f["requirement"]): f for f in json.loads(result.out)["findings"]}


def test_the_example_trusts_missing_requirement_and_overdue_review_are_found(run):
    found = _findings(run, EXAMPLE)
    missing = [k for k, f in found.items() if f["state"] == "missing"]
    assert missing == [("larkspur-fields", "mobile-phones")]  # it opts out of the trust's phones policy
    overdue = found[("larkspur-fields", "staff-social-media")]
    assert overdue["state"] == "overdue" and overdue["next_review"] == "2025-09-18"
    met = found[("hollin-bank-primary", "staff-social-media")]
    assert (met["state"], met["policy"], met["version"], met["ratified"]) == ("met", "social-media", "3.2", "2026-10-14")
    assert met["approved_by"] == "Local Governing Body" and met["level"] == "committee"
    kept = found[("calderbeck-academy", "child-protection")]
    assert kept["state"] == "elsewhere" and kept["url"] == "https://www.calderbeckacademy.org.uk/safeguarding/"
    published = "child-protection" in [r.id for r in statutory().requirements if "academy" in r.publish]
    assert kept["published"] is (True if published else None)
    # Mobile phones are for schools of those phases only: the nursery is not asked for a policy.
    assert ("ashcombe-nursery", "mobile-phones") not in found
    # What trust.yaml's check list leaves out is listed, not passed off as met.
    assert any(f["state"] == "not-checked" for f in found.values())


def test_a_body_below_the_level_that_may_approve_a_requirement_is_named(run, tmp_path):
    src = copy_tree(EXAMPLE, tmp_path / "src")
    edit(src / "trust.yaml", "    Local Governing Body: committee", "    Local Governing Body: governor")
    found = _findings(run, src)
    wrong = found[("hollin-bank-primary", "staff-social-media")]
    assert wrong["state"] == "approval" and wrong["approval_needed"] == "committee"
    assert "Approved by the Local Governing Body, a governor; it needs approval by at least a committee." in wrong["notes"]
    # A body whose level nobody has given cannot be judged either way: it is said, not guessed.
    edit(src / "trust.yaml", "    Local Governing Body: governor", "")
    unknown = _findings(run, src)[("hollin-bank-primary", "staff-social-media")]
    assert unknown["state"] == "level-unknown" and unknown["level"] is None


def test_a_statutory_cycle_shorter_than_the_schools_own_review_date_is_flagged(run, tmp_path):
    src = copy_tree(EXAMPLE, tmp_path / "src")
    edit(src / "trust.yaml", "      name: Staff social media policy\n", "      name: Staff social media policy\n      review: annually\n")
    late = _findings(run, src)[("calderbeck-academy", "staff-social-media")]  # reviewed every two years
    assert late["state"] == "late-review" and late["next_review"] == "2027-03-18"


def test_list_cites_the_pages_of_guidance(run):
    result = run("compliance", "--source", str(EXAMPLE), "--list")
    assert result.code == 0
    assert "https://www.gov.uk/" in result.out and "child-protection:" in result.out
    assert "mobile-phones: Mobile phones policy" in result.out and "the trust's own" in result.out


def test_a_schools_type_decides_what_applies_and_what_it_must_publish(run, tmp_path):
    src = copy_tree(EXAMPLE, tmp_path / "src")
    edit(src / "trust.yaml", "  check: [child-protection, staff-social-media, mobile-phones, online-safety, photography]\n", "")
    edit(src / "schools" / "hollin-bank-primary.yaml", "type: academy", "type: maintained")
    found = _findings(run, src)
    maintained_only = {r.id for r in statutory().requirements if r.types == ("maintained",)}
    academy_only = {r.id for r in statutory().requirements if "maintained" not in r.types and r.types}
    assert maintained_only and academy_only
    hollin = {req for school, req in found if school == "hollin-bank-primary"}
    calder = {req for school, req in found if school == "calderbeck-academy"}
    assert maintained_only <= hollin and not (academy_only & hollin)
    assert academy_only <= calder and not (maintained_only & calder)
    must_publish = [r for r in statutory().requirements if "maintained" in r.publish and r.id in hollin]
    assert must_publish
    for r in must_publish:
        f = found[("hollin-bank-primary", r.id)]
        assert f["state"] == "missing" and f["published"] is False and "unpublished" not in f["problems"][:1]
    assert not any(f["state"] == "not-checked" for f in found.values())
