"""The public bundle shows what is in force, whatever the state of the sources."""

from __future__ import annotations

import json

import pytest

from tests.helpers import edit, ratify


def _build(run, src, out):
    result = run("--source", src, "--output", out, "--format", "html", "--today", "2026-11-22", "-q")
    assert result.code == 0, result.err


@pytest.mark.slow
def test_a_model_edit_changes_the_review_area_not_the_public_page_until_it_is_ratified(mini, run, tmp_path):
    assert ratify(run, mini, "2026-01-10", "First", "--version", "2.0").code == 0
    out = tmp_path / "out"
    _build(run, mini, out)
    public = out / "oak-primary" / "social-media.html"
    before = public.read_bytes()
    edit(mini / "policies" / "social-media.yaml", "In person or by email.", "In person or by phone.")
    _build(run, mini, out)
    assert public.read_bytes() == before  # the public page is byte for byte what was ratified
    [record] = json.loads((out / "oak-primary" / "register.json").read_text())["policies"]
    assert (record["version"], record["ratified"], record["status"]) == ("2.0", "2026-01-10", "ratified")
    assert "In person or by phone." in (out / "review" / "oak-primary" / "social-media.html").read_text()
    dashboard = (out / "dashboard.html").read_text()
    assert "review/oak-primary/social-media.html" in dashboard and "Version 2.1 proposed" in dashboard

    done = ratify(run, mini, "2026-11-20", "Phone added", "--version", "2.1")
    assert done.code == 0 and f"policyc build --source {mini} " in done.out
    assert done.out.rstrip().endswith("--school oak-primary")  # the exact command that rebuilds the school
    _build(run, mini, out)
    page = public.read_text()
    assert "In person or by phone." in page and "2.1" in page
    assert not (out / "review" / "oak-primary").exists()
    assert (out / "oak-primary" / "archive" / "social-media-2.0.html").is_file()


def test_a_policy_never_ratified_is_left_off_the_public_bundle_unless_the_trust_lists_it(mini, run, tmp_path):
    school = mini / "schools" / "oak-primary.yaml"
    edit(school, "      status: ratified\n", "      status: draft\n")
    out = tmp_path / "out"
    _build(run, mini, out)
    bundle = out / "oak-primary"
    assert not (bundle / "social-media.html").exists()
    assert (out / "review" / "oak-primary" / "social-media.html").is_file()
    for name in ("index.html", "policies-fragment.html", "register.csv", "sitemap.xml"):
        assert "Social Media" not in (bundle / name).read_text() and "social-media" not in (bundle / name).read_text(), name
    assert json.loads((bundle / "register.json").read_text())["policies"] == []
    # The trust's own pages show it all the same: the dashboard and the trust's index.
    dashboard = (out / "dashboard.html").read_text()
    assert "Staff Social Media Policy" in dashboard and "review/oak-primary/social-media.html" in dashboard
    assert "Staff Social Media Policy" in (out / "index.html").read_text()

    trust = mini / "trust.yaml"
    trust.write_text(trust.read_text() + "publish: {unratified: list}\n")
    _build(run, mini, out)
    index = (bundle / "index.html").read_text()
    assert "In preparation" in index and 'href="social-media.html"' not in index
    assert "In preparation" in (bundle / "policies-fragment.html").read_text()
    [record] = json.loads((bundle / "register.json").read_text())["policies"]
    assert (record["status"], record["html"], record["version"]) == ("preparation", "", "")
    assert "social-media.html" not in (bundle / "sitemap.xml").read_text()
