"""Word documents made with python-docx, with heading styles and Word's own multilevel numbering, imported and rebuilt."""

from __future__ import annotations

import re
import yaml

import pytest

docx = pytest.importorskip("docx")  # a dependency in pyproject.toml; present wherever the suite runs
from docx.oxml.ns import nsdecls  # noqa: E402

from policyc.cli import main  # noqa: E402
from policyc.model import walk_blocks  # noqa: E402
from policyc.pipeline import check  # noqa: E402
from tests.importers.word import add_list, put_on_list  # noqa: E402
from tests.pdftext import key  # noqa: E402

NUMBERING = f"""<w:abstractNum {nsdecls('w')} w:abstractNumId="90">
  <w:multiLevelType w:val="multilevel"/>
  <w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%1."/></w:lvl>
  <w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%1.%2"/></w:lvl>
  <w:lvl w:ilvl="2"><w:start w:val="1"/><w:numFmt w:val="lowerLetter"/><w:lvlText w:val="(%3)"/></w:lvl>
</w:abstractNum>"""


def _numbered(paragraph, level: int) -> None:
    put_on_list(paragraph, level, 90)


def _word_policy(path):
    document = docx.Document()
    add_list(document, NUMBERING, 90)
    document.add_paragraph("Oakfield Primary School", style="Title")
    document.add_paragraph("Staff Code of Conduct Policy")
    table = document.add_table(rows=3, cols=2)
    for row, (label, value) in zip(table.rows, [("Ratified by the Local Governing Body on:", "14 October 2026"),
                                                ("Policy version:", "2.1"),
                                                ("Signed by the Chair of Governors:", "Ruth Adeyemi")]):
        row.cells[0].text, row.cells[1].text = label, value
    heading = document.add_paragraph("Purpose", style="Heading 1")
    _numbered(heading, 0)
    p = document.add_paragraph("This policy sets out the standards of conduct expected of everyone who works "
                               "at Oakfield Primary School, whether paid or unpaid, and explains why they matter.")
    _numbered(p, 1)
    p = document.add_paragraph()
    p.add_run("Staff must ")
    p.add_run("always").bold = True
    p.add_run(" follow the ")
    p.add_run("Keeping Children Safe in Education").italic = True
    p.add_run(" guidance, which is published every September by the Department for Education:")
    _numbered(p, 1)
    for words in ("report any concern about a child the same day;", "keep records factual and dated;"):
        _numbered(document.add_paragraph(words), 2)
    heading = document.add_paragraph("Conduct outside work", style="Heading 1")
    _numbered(heading, 0)
    p = document.add_paragraph("Conduct outside work can affect the school's reputation and the trust placed in "
                               "staff by pupils and their parents, and so it is covered by this policy as well.")
    _numbered(p, 1)
    document.add_paragraph("Staff should think before they post.", style="List Bullet")
    document.add_paragraph("Staff should keep their accounts private.", style="List Bullet")
    document.save(path)
    return ["Staff Code of Conduct Policy", "Purpose", "Conduct outside work",
            "This policy sets out the standards of conduct expected of everyone who works at Oakfield Primary "
            "School, whether paid or unpaid, and explains why they matter.",
            "Staff must always follow the Keeping Children Safe in Education guidance, which is published every "
            "September by the Department for Education:", "report any concern about a child the same day;",
            "keep records factual and dated;", "Staff should think before they post.",
            "Staff should keep their accounts private.", "Ratified by the Local Governing Body on:",
            "Signed by the Chair of Governors:", "Ruth Adeyemi"]


@pytest.fixture(scope="module")
def word_import(tmp_path_factory):
    work = tmp_path_factory.mktemp("word")
    expected = _word_policy(work / "conduct.docx")
    assert main(["import", str(work / "conduct.docx"), "--source", str(work / "src")]) == 0
    assert main(["--source", str(work / "src"), "--output", str(work / "out"), "-q", "--format", "html",
                 "--today", "2026-11-22"]) == 0
    return work, expected


def test_word_numbering_comes_back_as_the_same_numbers(word_import):
    work, _ = word_import
    _, [policy], _ = check(work / "src")
    numbers = {p.number for p in policy.parts if p.number}
    numbers |= {b.number for p in policy.parts for b in walk_blocks(p.blocks) if b.number}
    assert numbers == {"1", "1.1", "1.2", "2", "2.1"}
    assert policy.numbering == "1.1 (a)"


def test_every_sentence_of_the_word_document_is_in_the_built_page(word_import):
    work, expected = word_import
    [page] = [p for p in (work / "out").rglob("*conduct*.html") if "changes" not in p.parts]
    text = key(re.sub(r"<[^>]+>", " ", page.read_text()).replace("&#39;", "'").replace("&#x27;", "'"))
    assert [s for s in expected if key(s) not in text] == []


def test_bold_italic_and_the_ratification_record_are_kept(word_import):
    work, _ = word_import
    policy = next((work / "src" / "policies").glob("*.yaml")).read_text()
    assert "**always**" in policy and "*Keeping Children Safe in Education*" in policy
    school = (work / "src" / "schools" / "oakfield-primary-school.yaml").read_text()
    assert "date: 2026-10-14" in school
    assert 'version: "2.1"' in school
    assert "Ruth Adeyemi" in school


def test_a_word_document_with_bold_lines_for_headings_and_typed_numbers(tmp_path):
    """The other way schools make them: no heading styles, numbers typed, bold Normal lines as headings."""
    document = docx.Document()
    for line in ("Anytown Academy", "Whistleblowing Policy", "Approved by: Board of Trustees",
                 "Date approved: 3rd March 2025", "Next review: March 2026"):
        document.add_paragraph(line)
    document.add_paragraph().add_run("1. Purpose").bold = True
    document.add_paragraph("1.1 This policy explains how staff can raise a concern about wrongdoing, and how the "
                           "academy will respond to it fairly and promptly.")
    document.add_paragraph().add_run("2. How to raise a concern").bold = True
    document.add_paragraph("2.1 A concern should be raised with the Principal in the first instance:")
    document.add_paragraph("in writing, by email or letter;", style="List Bullet")
    document.add_paragraph("2.2 If the concern is about the Principal, it should be raised with the Chair of Trustees.")
    document.save(tmp_path / "whistleblowing.docx")
    assert main(["import", str(tmp_path / "whistleblowing.docx"), "--source", str(tmp_path / "src")]) == 0
    _, [policy], _ = check(tmp_path / "src")
    numbers = {p.number for p in policy.parts if p.number}
    numbers |= {b.number for p in policy.parts for b in walk_blocks(p.blocks) if b.number}
    assert numbers == {"1", "1.1", "2", "2.1", "2.2"}
    assert [p.title for p in policy.parts if p.number] == ["Purpose", "How to raise a concern"]
    school = (tmp_path / "src" / "schools" / "anytown-academy.yaml").read_text()
    assert "approving_body: Board of Trustees" in school and "date: 2025-03-03" in school
    assert "# Check:" in school  # no signatory on the cover: said, not invented
    assert "next_review: March 2026" in school  # 'Next review: March 2026' is kept as written
    policy = yaml.safe_load(next((tmp_path / "src" / "policies").glob("*.yaml")).read_text())
    # the cover's own rows, in its order, with no heading or status line the document did not have
    assert policy["ratification_layout"]["heading"] is False
    assert policy["ratification_layout"]["status_line"] is False
    assert [r["value"] for r in policy["ratification_layout"]["rows"]][-1] == "next_review"


def test_a_second_policy_joins_the_same_school_without_touching_the_rest_of_its_file(tmp_path):
    first = docx.Document()
    for line in ("Anytown Academy", "Whistleblowing Policy", "Date approved: 3rd March 2025"):
        first.add_paragraph(line)
    first.add_paragraph("Purpose", style="Heading 1")
    first.add_paragraph("This policy explains how staff can raise a concern about wrongdoing.")
    first.save(tmp_path / "first.docx")
    second = docx.Document()
    for line in ("Anytown Academy", "Charging and Remissions Policy", "Date approved: 10 June 2025",
                 "Signed: Sam Okoro, Chair of Trustees"):
        second.add_paragraph(line)
    second.add_paragraph("Introduction", style="Heading 1")
    second.add_paragraph("The academy does not charge for education provided during school hours.")
    second.save(tmp_path / "second.docx")
    assert main(["import", str(tmp_path / "first.docx"), "--source", str(tmp_path / "src")]) == 0
    school = tmp_path / "src" / "schools" / "anytown-academy.yaml"
    mine = school.read_text().replace("phase: secondary", "phase: secondary  # our own note")
    school.write_text(mine)
    assert main(["import", str(tmp_path / "second.docx"), "--source", str(tmp_path / "src")]) == 0
    after = school.read_text()
    assert "# our own note" in after and "whistleblowing:" in after
    assert "charging-remissions:" in after and "name: Sam Okoro" in after and "role: Chair of Trustees" in after
    _, policies, _ = check(tmp_path / "src")
    assert sorted(p.policy_id for p in policies) == ["charging-remissions", "whistleblowing"]
    assert main(["import", str(tmp_path / "second.docx"), "--source", str(tmp_path / "src")]) == 2  # never overwrites: a command-line mistake (give another --id)
    assert school.read_text() == after
