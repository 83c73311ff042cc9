"""The review pack a clerk sends governors: cover, summary with reasons, redline, resolution."""

from __future__ import annotations

import subprocess
import textwrap

import lxml.html
import pytest
from pypdf import PdfReader

from tests.helpers import EXAMPLE, copy_tree, edit

pytestmark = pytest.mark.pdf

SCHOOL_PACK = "review/calderbeck-academy/social-media-review-pack"


def page(example_output, path: str):
    return lxml.html.parse(str(example_output / path)).getroot()


def facts(root) -> dict[str, str]:
    return {" ".join(th.text_content().split()): " ".join(th.getnext().text_content().split())
            for th in root.xpath("//table[contains(@class, 'pack-facts')]//th")}


def test_the_cover_says_what_is_being_decided(example_output):
    root = page(example_output, SCHOOL_PACK + ".html")
    assert facts(root) == {
        "Policy": "Social Media Policy and Guidelines for Staff",
        "Version in force": "Version 1.10 (ratified 18 March 2026)",
        "Proposed version": "2.0",
        "Approving body": "Academy Council",
        "Meeting": "Date not yet set",
        "Pack prepared": "22 November 2026",
    }
    nursery = page(example_output, "review/ashcombe-nursery/social-media-review-pack.html")
    assert facts(nursery)["Meeting"] == "9 December 2026"  # the meeting: given in the school's file
    assert facts(nursery)["Version in force"].startswith("None")


def test_the_summary_says_what_changes_and_why_and_the_redline_follows(example_output):
    root = page(example_output, SCHOOL_PACK + ".html")
    summary = " ".join(root.xpath("//section[contains(@class, 'pack-summary')]")[0].text_content().split())
    assert "1 paragraph with changed wording: 5.4" in summary and "1 paragraph added: 9.4" in summary
    assert "5.4: Only the head of each school gives references" in summary and "(proposed by Trust HR)" in summary
    redline = root.xpath("//section[contains(@class, 'redline-text')]")[0]
    assert redline.xpath(".//ins") and redline.xpath(".//del")
    reason = redline.xpath(".//p[contains(@class, 'change-reason')]")
    assert len(reason) == 2 and "Trust Data Protection Officer" in reason[1].text_content()


def test_the_resolution_page_records_the_decision(example_output):
    root = page(example_output, SCHOOL_PACK + ".html")
    resolution = root.xpath("//section[contains(@class, 'resolution')]")[0]
    assert len(resolution.xpath(".//ul[@class='decisions']/li")) == 3
    assert [" ".join(th.text_content().split()) for th in resolution.xpath(".//table//th")] == [
        "Signed (Chair)", "Name", "Date", "Minute reference"]
    words = " ".join(resolution.text_content().split())
    # the page governors sign holds no command line; a meeting date not yet known is a line to fill in
    assert "policyc" not in words and "ratify --" not in words
    assert "At its meeting on , the Academy Council" in words
    assert "from version 1.10 to the proposed version 2.0" in words
    nursery = page(example_output, "review/ashcombe-nursery/social-media-review-pack.html")
    said = " ".join(nursery.xpath("//section[contains(@class, 'resolution')]")[0].text_content().split())
    assert "At its meeting on 9 December 2026, the" in said


def test_the_title_says_which_versions_are_compared(example_output):
    root = page(example_output, SCHOOL_PACK + ".html")
    assert "from version 1.10 to the proposed version 2.0" in root.findtext(".//title")
    assert " ".join(root.xpath("//p[@class='subtitle']")[0].text_content().split()) == (
        "Review pack for the Academy Council: from version 1.10 to the proposed version 2.0")


def test_a_first_versions_pack_carries_the_policy_itself(example_output):
    root = page(example_output, "review/ashcombe-nursery/photography-review-pack.html")
    text = " ".join(root.text_content().split())
    assert "sent with this pack" not in text and "the first to be ratified" in text
    policy = root.xpath("//section[contains(@class, 'pack-policy')]")[0]
    assert policy.xpath(".//table//th") and "Who sees it" in policy.text_content()  # its table, as a table
    board = page(example_output, "review/trust-board/online-safety-review-pack.html")
    assert board.xpath("//section[contains(@class, 'pack-policy') or contains(@class, 'redline-text')]//p")


def test_the_pdf_reads_as_one_document_ending_with_the_resolution(example_output):
    pages = [p.extract_text() for p in PdfReader(example_output / (SCHOOL_PACK + ".pdf")).pages]
    assert len(pages) >= 3
    # the cover runs on into the summary and the redline: no page of a few lines between them
    assert "Review pack for the Academy Council" in pages[0] and "What changes, and why" in pages[0]
    assert "Resolution" in pages[-1] and "Minute reference" in pages[-1]
    assert "Resolution" not in pages[-2]
    for text in pages[:-2]:
        assert len([line for line in text.splitlines() if line.strip()]) > 12, text
    assert not any("inserted:" in p or "deleted:" in p for p in pages)
    # a change and its reason on one page
    for text in pages:
        if "Why:" in text:
            assert text.index("changed:" if "changed:" in text else "New paragraph") < text.index("Why:"), text


def test_the_trust_board_has_one_pack_for_a_policy_it_approves(example_output):
    root = page(example_output, "review/trust-board/online-safety-review-pack.html")
    assert facts(root)["Approving body"] == "Board of Trustees"
    assert "Schools it applies to" in facts(root)
    assert root.xpath("//link[@rel='stylesheet']")[0].get("href") == "../../assets/policy.css"
    assert (example_output / "assets" / "policy.css").exists()
    assert not list((example_output / "review").glob("*/online-safety-review-pack.html"))[1:]


def test_packs_are_linked_from_the_dashboard_and_calendar_never_from_public_pages(example_output):
    dashboard = (example_output / "dashboard.html").read_text(encoding="utf-8")
    assert 'href="review/calderbeck-academy/social-media-review-pack.html"' in dashboard
    assert "review/trust-board/online-safety-review-pack.html" in dashboard
    assert "social-media-review-pack.html" in (example_output / "reviews.ics").read_text(encoding="utf-8").replace("\r\n ", "")
    for public in example_output.glob("*/**/*.html"):
        if public.parts[len(example_output.parts)] != "review":
            assert "review-pack" not in public.read_text(encoding="utf-8"), public
    grep = subprocess.run(["grep", "-rl", "--exclude=*.css", "review-pack", str(example_output / "calderbeck-academy")],
                          capture_output=True, text=True)
    assert grep.stdout == ""


def test_the_board_sees_which_schools_copies_change_in_other_places(run, tmp_path):
    """A trust-approved policy in force everywhere, its model edited, and one school's own
    clause added: the board's pack marks one copy's changes, and its table of schools says
    that one school's copy changes in other places too, and where."""
    src = copy_tree(EXAMPLE, tmp_path / "src")
    out = tmp_path / "out"
    done = run("ratify", "--source", src, "--policy", "online-safety", "--date", "2026-11-20", "--by",
               "Ann Smith, Chair of Trustees", "--summary", "First version", "--today", "2026-11-22")
    assert done.code == 0, done.err
    edit(src / "policies" / "online-safety.yaml", "The filtering is checked every term", "The filtering is tested every term")
    edit(src / "schools" / "larkspur-fields.yaml", "elsewhere:\n", textwrap.dedent("""\
          online-safety:
            add:
              - into: os-education
                clause:
                  id: os-forest-school
                  text: Children in our forest school sessions leave every device indoors.
        elsewhere:
        """))
    built = run("--source", src, "--output", out, "--format", "html", "--today", "2026-11-22", "-q")
    assert built.code == 0, built.err
    root = page(out, "review/trust-board/online-safety-review-pack.html")
    rows = {" ".join(tr[0].text_content().split()): " ".join(tr[3].text_content().split())
            for tr in root.xpath("//section[@aria-label='Table: the schools']//tbody/tr")}
    assert rows.pop("Larkspur Fields School") == "Not the same as marked here: 3.1; 4.3 (new)"
    assert set(rows.values()) == {"As marked in this pack"} and len(rows) == 4
    assert "the table says where" in root.text_content()
