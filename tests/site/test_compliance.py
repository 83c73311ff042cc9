"""The compliance page: in the trust's review area, linked from the dashboard, in no school's bundle."""

from __future__ import annotations


def test_the_compliance_page_is_in_the_review_area_linked_from_the_dashboard_and_in_no_bundle(example_output):
    page = example_output / "review" / "compliance.html"
    html = page.read_text()
    assert "What each school must have" in html and "Larkspur Fields School" in html
    assert 'href="review/compliance.html"' in (example_output / "dashboard.html").read_text()
    assert 'href="../larkspur-fields/social-media.html"' in html  # the version in force, from review/
    for school in ("ashcombe-nursery", "calderbeck-academy", "hollin-bank-primary", "larkspur-fields", "saltmarsh-lane"):
        folder = example_output / school
        assert not list(folder.rglob("compliance*"))
        for text in folder.rglob("*.html"):
            assert "compliance.html" not in text.read_text(), text
        assert "compliance" not in (folder / "sitemap.xml").read_text()
