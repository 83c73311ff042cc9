"""The school bundle's machine-readable files and the trust's review dashboard."""

from __future__ import annotations

import csv
import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from policyc.errors import display_path
from tests.helpers import SCHOOLS, edit, write_tree

pytestmark = pytest.mark.slow


@pytest.fixture
def built(mini, tmp_path, run) -> Path:
    write_tree(mini, {k: v for k, v in SCHOOLS.items() if v})
    out = tmp_path / "out"
    assert run("--source", mini, "--output", out, "--today", "2026-11-22").code == 0
    return out


@pytest.mark.pdf
def test_register_json_and_csv(built):
    data = json.loads((built / "oak-primary" / "register.json").read_text())
    assert data["school"] == "Oak Primary School" and data["trust"] == "Test Trust"
    [entry] = data["policies"]
    assert entry["version"] == "1.10" and entry["status"] == "ratified" and entry["ratified"] == "2026-10-01"
    assert entry["next_review"] == "2027-10-01" and entry["approving_body"] == "Local Governing Body"
    assert entry["html"] == "social-media.html" and entry["pdf"] == "social-media.pdf"
    assert entry["pdf_bytes"] == (built / "oak-primary" / "social-media.pdf").stat().st_size
    rows = list(csv.DictReader((built / "oak-primary" / "register.csv").open()))
    assert rows[0]["version"] == "1.10" and rows[0]["status"] == "ratified"


def test_sitemap_is_absolute_when_the_school_says_where_it_is_published(built):
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    locs = [e.text for e in ET.parse(built / "ash-special" / "sitemap.xml").getroot().findall("s:url/s:loc", ns)]
    assert locs == ["https://www.ash.example.sch.uk/policies/index.html",
                    "https://www.ash.example.sch.uk/policies/accessibility.html",
                    "https://www.ash.example.sch.uk/policies/social-media.html"]
    relative = [e.text for e in ET.parse(built / "oak-primary" / "sitemap.xml").getroot().findall("s:url/s:loc", ns)]
    assert relative == ["index.html", "accessibility.html", "social-media.html"]


def test_school_index_shows_pdf_size_and_the_fragment_embeds(built):
    index = (built / "oak-primary" / "index.html").read_text()
    assert "PDF<span class=\"visually-hidden\"> of the Staff Social Media Policy</span>, " in index
    assert " KB</a>" in index
    fragment = (built / "oak-primary" / "policies-fragment.html").read_text()
    assert not fragment.lstrip().startswith("<!DOCTYPE") and "<html" not in fragment
    assert '<a href="social-media.html">Staff Social Media Policy</a>, version 1.10' in fragment


def test_dashboard_and_status_group_the_schools(built, mini, run):
    dashboard = (built / "dashboard.html").read_text()
    for heading in ("Review overdue (0)", "Review due in the next 60 days (1)", "Never ratified (1)", "Up to date (1)"):
        assert heading in dashboard
    result = run("status", "--source", mini, "--today", "2026-11-22")
    assert result.code == 0
    assert "Review due in the next 60 days: 1\n" in result.out and "Ash Special School" in result.out
    later = run("status", "--source", mini, "--today", "2027-01-01")
    assert "Review overdue: 1\n" in later.out


def test_a_pending_change_does_not_hide_the_review_date_of_the_version_in_force(built, mini, run, tmp_path):
    ratified = run("ratify", "--source", mini, "--school", "ash-special", "--policy", "social-media",
                   "--date", "2025-12-15", "--by", "A, Chair of Governors", "--summary", "First", "--version", "4")
    assert ratified.code == 0, ratified.err
    # the next command as the user would type it where they stand: the default output folder goes unsaid
    assert f"policyc build --source {display_path(mini)} --school ash-special\n" in ratified.out
    policy = mini / "policies" / "social-media.yaml"
    policy.write_text(policy.read_text().replace("In person or by email.", "In person or by phone."))
    out = tmp_path / "again"
    assert run("--source", mini, "--output", out, "--today", "2026-11-22", "--format", "html").code == 0
    result = run("status", "--source", mini, "--today", "2026-11-22")
    due = result.out.split("Review due in the next 60 days: ")[1].split("\n\n")[0]
    assert due.startswith("1\n") and "Ash Special School" in due and "15 December 2026" in due
    assert "version 4.1 proposed" in due  # the change awaiting a decision, beside the version in force
    rows = list(csv.DictReader((out / "ash-special" / "register.csv").open()))
    assert rows[0]["version"] == "4" and rows[0]["ratified"] == "2025-12-15"
    assert rows[0]["awaiting_ratification"] == "version 4.1 proposed"
    assert "In person or by email." in (out / "ash-special" / "social-media.html").read_text()
    assert 'href="review/ash-special/social-media.html"' in (out / "dashboard.html").read_text()


def test_the_dashboard_names_a_model_in_the_trusts_words_never_its_placeholders(mini, run, tmp_path):
    """A model title with a term or a school's name in it is filled in: with the trust's terms
    over the column, with each school's own words in the name of its link."""
    edit(mini / "policies" / "social-media.yaml", "title: Staff Social Media Policy",
         "title: Social Media Policy for {{ term.staff | capital }}")
    (mini / "policies" / "photos.yaml").write_text(
        (mini / "policies" / "social-media.yaml").read_text()
        .replace("title: Social Media Policy for {{ term.staff | capital }}", "title: \"{{ school.name }} Photographs\"")
        .replace("id: social-media", "id: photos"))
    out = tmp_path / "out"
    assert run("--source", mini, "--output", out, "--format", "html", "--today", "2026-11-22", "-q").code == 0
    dashboard = (out / "dashboard.html").read_text()
    assert "{{" not in dashboard and "term." not in dashboard
    assert '<th scope="col">Social Media Policy for Staff</th>' in dashboard
    assert '<th scope="col">Oak Primary School Photographs</th>' in dashboard


def test_a_school_index_lists_the_web_managers_files_only_when_the_trust_asks(mini, run, tmp_path):
    out = tmp_path / "out"
    assert run("--source", mini, "--output", out, "--format", "html", "-q").code == 0
    assert "For web managers" not in (out / "oak-primary" / "index.html").read_text()
    dashboard = (out / "dashboard.html").read_text()
    for name in ("register.json", "register.csv", "policies-fragment.html", "sitemap.xml", "reviews.ics"):
        assert f'href="oak-primary/{name}"' in dashboard and (out / "oak-primary" / name).is_file()
    trust = mini / "trust.yaml"
    trust.write_text(trust.read_text() + "publish:\n  web_managers: true\n")
    assert run("--source", mini, "--output", out, "--format", "html", "-q").code == 0
    index = (out / "oak-primary" / "index.html").read_text()
    assert "For web managers" in index and 'href="register.json"' in index
    trust.write_text(trust.read_text().replace("web_managers: true", "web_managers: yes please"))
    refused = run("validate", "--source", mini)
    assert refused.code == 1 and "trust.yaml:" in refused.err


@pytest.mark.parametrize("short", ["Oak", ""])
def test_a_setting_whose_documents_give_no_name_is_listed_by_its_own_words_or_slug_never_empty(mini, run, tmp_path, short):
    school = mini / "schools" / "oak-primary.yaml"
    edit(school, "name: Oak Primary School\n", f"short_name: {short}\n" if short else "")
    edit(mini / "policies" / "social-media.yaml", "protects {{ school.name }} and", "protects the school and")
    out = tmp_path / "out"
    result = run("--source", mini, "--output", out, "--format", "html", "-q")
    assert result.code == 0, result.err
    index = (out / "oak-primary" / "index.html").read_text()
    assert (f"<title>Policies – {short}</title>" if short else "<title>Policies</title>") in index
    assert "– </title>" not in index and "Policies of </caption>" not in index
    listed = short or "oak-primary"  # the trust's own pages: the slug where the documents give no name
    for page in ("dashboard.html", "index.html"):
        html = (out / page).read_text()
        assert f'<a href="oak-primary/index.html">{listed}</a>' in html, page
        assert '<a href="oak-primary/index.html"></a>' not in html
