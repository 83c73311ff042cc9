"""Each school bundle's accessibility statement: filled from the sources, nothing invented."""

from __future__ import annotations

import re

from tests.helpers import edit


def _build(run, src, out, fmt="html"):
    result = run("--source", src, "--output", out, "--format", fmt, "--today", "2026-11-22", "-q")
    assert result.code == 0, result.err
    return out / "oak-primary"


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).strip()


def test_with_no_contact_it_says_to_ask_the_school_and_gives_no_address(mini, run, tmp_path):
    bundle = _build(run, mini, tmp_path / "out")
    html = (bundle / "accessibility.html").read_text()
    text = _text(html)
    assert "ask Oak Primary School." in text
    assert "mailto:" not in html and "@" not in text and "telephone" not in text and "write to" not in text
    assert "prepared on 22 November 2026" in text  # the build date
    assert "320 pixels" in text and "axe-core" in text and "WCAG) 2.2" in text
    assert "PDF/UA" not in text  # no PDF was built, so none is described
    assert html.count("<h1") == 1 and '<main id="main">' in html and '<footer class="page-footer">' in html


def test_a_school_with_a_website_is_asked_through_it(mini, run, tmp_path):
    edit(mini / "schools" / "oak-primary.yaml", "phase: primary\n",
         "phase: primary\nwebsite: https://www.oak.example.sch.uk\n")
    html = (_build(run, mini, tmp_path / "out") / "accessibility.html").read_text()
    assert 'ask Oak Primary School through <a href="https://www.oak.example.sch.uk">its website</a>.' in html


def test_the_trusts_contact_unless_the_school_gives_its_own(mini, run, tmp_path):
    trust = mini / "trust.yaml"
    trust.write_text(trust.read_text() + "accessibility:\n  contact: the Trust Governance Team\n"
                     "  email: governance@trust.example.org.uk\n  address: |\n    1 High Street\n    Oakford\n")
    html = (_build(run, mini, tmp_path / "out") / "accessibility.html").read_text()
    assert "contact the Trust Governance Team:" in html
    assert '<a href="mailto:governance@trust.example.org.uk">governance@trust.example.org.uk</a>' in html
    assert "1 High Street<br>Oakford" in html and "telephone" not in html

    school = mini / "schools" / "oak-primary.yaml"
    school.write_text(school.read_text() + "accessibility: {phone: 01632 960123}\n")
    html = (_build(run, mini, tmp_path / "out2") / "accessibility.html").read_text()
    assert "contact Oak Primary School:" in html and "telephone 01632 960123" in html
    assert "governance@" not in html  # the school's own replaces the trust's


def test_linked_from_the_school_index_every_public_page_and_the_sitemap(mini, run, tmp_path):
    bundle = _build(run, mini, tmp_path / "out")
    index = (bundle / "index.html").read_text()
    assert index.count('href="accessibility.html"') == 2  # beside the list, and in the footer
    footer = (bundle / "social-media.html").read_text().split('<footer class="page-footer">', 1)[1]
    assert '<a href="accessibility.html">Accessibility statement</a>' in footer
    assert "<loc>accessibility.html</loc>" in (bundle / "sitemap.xml").read_text()


def test_a_contact_email_that_is_not_one_is_refused_at_its_line(mini, run):
    trust = mini / "trust.yaml"
    trust.write_text(trust.read_text() + "accessibility:\n  email: the office\n")
    result = run("validate", "--source", mini)
    assert result.code == 1
    assert re.search(r"trust\.yaml:\d+:\d+: .*the office", result.err), result.err
    assert "Traceback" not in result.err
