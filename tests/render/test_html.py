"""The HTML page: golden output, semantics, accessibility basics and no outside requests."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from tests.helpers import ROOT

GOLDEN = Path(__file__).resolve().parent.parent / "golden"


class Page(HTMLParser):
    """Collects what the tests look at: tags with attributes, headings, ids."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict]] = []
        self.headings: list[tuple[str, str]] = []
        self._heading: str | None = None
        self._text: list[str] = []
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        if re.fullmatch(r"h[1-6]", tag):
            self._heading, self._text = tag, []

    def handle_endtag(self, tag):
        if tag == self._heading:
            self.headings.append((tag, re.sub(r"\s+", " ", "".join(self._text)).strip()))
            self._heading = None

    def handle_data(self, data):
        if self._heading:
            self._text.append(data)

    def all(self, tag: str) -> list[dict]:
        return [attrs for t, attrs in self.tags if t == tag]


@pytest.fixture
def built(mini, tmp_path, run) -> Path:
    out = tmp_path / "out"
    assert run("--source", mini, "--output", out, "--format", "html", "--today", "2026-11-22").code == 0
    return out


def test_golden_policy_html(built, update_golden):
    html = (built / "oak-primary" / "social-media.html").read_text(encoding="utf-8")
    golden = GOLDEN / "mini-social-media.html"
    if update_golden or not golden.exists():
        golden.write_text(html, encoding="utf-8")
    assert html == golden.read_text(encoding="utf-8"), "run pytest --update-golden after an intended change"


def test_page_is_english_with_one_h1_and_numbered_headings(built):
    html = (built / "oak-primary" / "social-media.html").read_text(encoding="utf-8")
    page = Page(html)
    assert page.all("html")[0]["lang"] == "en-GB"
    assert [h for h in page.headings if h[0] == "h1"] == [("h1", "Staff Social Media Policy")]
    h2 = [text for tag, text in page.headings if tag == "h2"]
    assert h2 == ["Contents", "1. About this policy", "2. Key principles", "3. Reporting concerns",
                  "Appendix 1 – Table of changes"]
    assert ("h3", "2.1 The golden principles") in page.headings


def test_contents_links_to_every_section(built):
    page = Page((built / "oak-primary" / "social-media.html").read_text(encoding="utf-8"))
    ids = {attrs["id"] for _, attrs in page.tags if "id" in attrs}
    hrefs = [a["href"] for a in page.all("a") if a.get("href", "").startswith("#")]
    assert {"#about", "#principles", "#reporting", "#changes"} <= set(hrefs)
    assert all(h[1:] in ids for h in hrefs), "every in-page link has a target"


def test_tailoring_numbering_and_cross_references(built):
    html = (built / "oak-primary" / "social-media.html").read_text(encoding="utf-8")
    assert "Personal use of social media at work is not allowed." in html  # the school's option
    assert "Occasional personal use" not in html
    assert "Photographs in learning journals" in html  # a primary-phase clause
    assert 'See paragraph <a href="#personal-use">1.2</a>' in html
    assert '<span class="num">3.1.1</span> In person or by email.' in html
    assert "(a)&nbsp;</span>breach our ICT policies;" in html


def test_ratification_block_and_change_table(built):
    html = (built / "oak-primary" / "social-media.html").read_text(encoding="utf-8")
    assert '<th scope="row">Ratified by Local Governing Body on</th><td>1 October 2026</td>' in html
    assert '<th scope="row">Policy version</th><td>1.10</td>' in html
    assert '<th scope="row">Next review date</th><td>1 October 2027</td>' in html
    assert '<th scope="row">Signed by the Chair of Governors</th><td>Ann Chair</td>' in html
    assert "<td>16/09/2020</td><td>All</td><td>Social networking renamed social media.</td>" in html


def test_a_trust_chooses_how_its_table_of_changes_writes_dates(mini, tmp_path, run):
    """One date format across a page: the example trust writes every date in full."""
    trust = mini / "trust.yaml"
    trust.write_text(trust.read_text() + "change_table:\n  columns:\n"
                     "    - {field: date, heading: Date of change, format: long}\n"
                     "    - {field: summary, heading: Summary of update}\n")
    out = tmp_path / "out"
    assert run("--source", mini, "--output", out, "--format", "html", "--today", "2026-11-22").code == 0
    html = (out / "oak-primary" / "social-media.html").read_text(encoding="utf-8")
    assert "<td>16 September 2020</td><td>Social networking renamed social media.</td>" in html


def test_the_example_trust_writes_one_date_format_on_each_page(example_output):
    import re
    html = (example_output / "hollin-bank-primary" / "social-media.html").read_text(encoding="utf-8")
    text = re.sub(r"<[^>]+>", " ", html)
    assert re.findall(r"\b\d{1,2}/\d{1,2}/\d{2,4}\b", text) == []
    assert re.findall(r"\b\d{1,2}(?:st|nd|rd|th) [A-Z][a-z]+ \d{4}", text) == []
    assert "14 October 2026" in text


def test_no_requests_to_other_sites(built):
    for page_file in built.rglob("*.html"):
        page = Page(page_file.read_text(encoding="utf-8"))
        for tag, attrs in page.tags:
            for attr in ("src", "srcset", "data"):
                assert attr not in attrs, f"{page_file.name}: <{tag} {attr}=...>"
            if tag == "link":
                assert not re.match(r"^[a-z]+:", attrs["href"]), f"{page_file.name}: {attrs['href']}"
    css = (built / "assets" / "policy.css").read_text(encoding="utf-8")
    assert not re.search(r"url\((?!fonts/)", css)
    assert "@media print" in css
    assert (built / "assets" / "fonts" / "OpenSans-Regular.ttf").is_file()


def test_index_pages_list_every_school_and_policy(built):
    trust = (built / "index.html").read_text(encoding="utf-8")
    assert 'href="oak-primary/social-media.html"' in trust
    school = (built / "oak-primary" / "index.html").read_text(encoding="utf-8")
    assert 'href="social-media.html"' in school and "Ratified" in school


def test_authored_html_and_script_links_are_inert(mini, tmp_path, run):
    policy = mini / "policies" / "social-media.yaml"
    text = policy.read_text().replace(
        "Tell the {{ role.dsl }} at once.",
        "Tell the {{ role.dsl }} at once. <script>alert(1)</script> <img src=x onerror=alert(1)>")
    policy.write_text(text)
    out = tmp_path / "out"
    result = run("--source", mini, "--output", out, "--format", "html")
    assert result.code == 0 and "HTML tags" in result.err
    html = (out / "oak-primary" / "social-media.html").read_text()
    assert "<script>" not in html and "<img" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_example_trust_pages_are_english_and_have_one_h1(example_output):
    pages = [p for p in example_output.rglob("*.html") if p.name != "policies-fragment.html"]
    assert len(pages) >= 12
    for page_file in pages:
        page = Page(page_file.read_text(encoding="utf-8"))
        assert page.all("html")[0]["lang"] == "en-GB"
        assert len([h for h in page.headings if h[0] == "h1"]) == 1, page_file
        assert page.all("title"), page_file


def test_readme_commands_exist():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert "make build" in readme and "make test" in readme
    assert "build:" in makefile and "test:" in makefile
    assert "make test" in (ROOT / ".ci" / "run").read_text(encoding="utf-8")


def test_an_archived_version_says_so_above_its_ratification_table(example_output):
    page = (example_output / "hollin-bank-primary" / "archive" / "social-media-3.1.html").read_text()
    assert page.index("This is an earlier version, kept for the record.") < page.index('id="ratification"')


def test_a_capitalised_label_keeps_its_month_capitalised(example_output):
    """'Version 3.2 (ratified 14 October 2026)', never '14 october': only the first letter changes."""
    import re
    page = (example_output / "hollin-bank-primary" / "archive" / "social-media-3.1.html").read_text(encoding="utf-8")
    labels = re.findall(r"Version [\d.]+ \(ratified \d+ (\w+) \d{4}\)", page)
    assert labels and all(month[0].isupper() for month in labels), labels
