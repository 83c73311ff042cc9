"""A clause's Markdown as Word paragraphs, lists and tables (policyc/render/word/markdown.py):
small Markdown strings written by Writer into a new document, saved, and read back with
python-docx, as Word would open them. Whole policies are tested in test_policy.py."""

from __future__ import annotations

import datetime as dt
import io

import docx
from docx.oxml.ns import qn
from docx.text.hyperlink import Hyperlink

from policyc.render.word.markdown import Writer
from policyc.render.word.ooxml import (
    LIST_INDENT,
    Bookmarks,
    Numbering,
    house,
    new_document,
    save,
)
from policyc.render.word.styles import ACCENT, CODE_FONT, SHADE, TEXT_WIDTH
from tests.helpers import NS


def new_writer() -> Writer:
    document = new_document()
    numbering = Numbering(document)
    house(document, numbering, ACCENT)
    return Writer(document, numbering, Bookmarks())


def reopened(writer: Writer):
    """The writer's document as Word opens it: saved, then read back with python-docx."""
    return docx.Document(io.BytesIO(save(writer.document, {"title": "T", "author": "A"}, dt.date(2026, 11, 22))))


def written(markdown: str, **options):
    """(the document read back, the words of the paragraphs Writer.markdown said it wrote)."""
    writer = new_writer()
    paragraphs = writer.markdown(markdown, **options)
    return reopened(writer), [p.text for p in paragraphs]


def wording(paragraph) -> list[tuple]:
    """A paragraph's runs and links in order: ("run", words, bold, italic, font) or
    ("link", where it goes, words)."""
    out = []
    for item in paragraph.iter_inner_content():
        if isinstance(item, Hyperlink):
            out.append(("link", item.address or f"#{item.fragment}", item.text))
        elif item.text:
            out.append(("run", item.text, bool(item.bold), bool(item.italic), item.font.name))
    return out


def props(paragraph, path: str):
    ppr = paragraph._p.pPr
    return None if ppr is None else ppr.find(path, NS)


def val(element, name: str = "val"):
    return None if element is None else element.get(qn(f"w:{name}"))


def words(document) -> list[str]:
    return [p.text for p in document.paragraphs if p.text]


# --- paragraphs and their words -------------------------------------------------------------

def test_paragraphs_are_paragraphs_and_the_writer_says_which_it_wrote():
    document, texts = written("Tell the office.\n\nThen tell the lead,\nin writing.")
    assert words(document) == texts == ["Tell the office.", "Then tell the lead, in writing."]
    assert {p.style.name for p in document.paragraphs if p.text} == {"Normal"}


def test_emphasis_is_bold_and_italic_runs_and_code_is_the_code_font():
    document, _ = written("Staff **must** report *at once*, ***never*** later, on `form 7`.")
    [paragraph] = [p for p in document.paragraphs if p.text]
    assert wording(paragraph) == [
        ("run", "Staff ", False, False, None), ("run", "must", True, False, None), ("run", " report ", False, False, None),
        ("run", "at once", False, True, None), ("run", ", ", False, False, None), ("run", "never", True, True, None),
        ("run", " later, on ", False, False, None), ("run", "form 7", False, False, CODE_FONT),
        ("run", ".", False, False, None)]


def test_a_hard_line_break_is_a_line_break_and_a_soft_one_a_space():
    document, texts = written("Oak Primary School  \nOak Lane\nLeeds")
    assert texts == ["Oak Primary School\nOak Lane Leeds"]
    [paragraph] = [p for p in document.paragraphs if p.text]
    assert len(paragraph._p.findall("w:r/w:br", NS)) == 1


def test_a_heading_is_a_bold_paragraph_kept_with_the_next():
    """Inside a clause a heading is no Heading style: that would put it in Word's outline
    beside the policy's own sections."""
    document, texts = written("## What to do\n\nTell the office.")
    heading, after = [p for p in document.paragraphs if p.text]
    assert texts == ["What to do", "Tell the office."]
    assert heading.style.name == "Normal" and all(r.bold for r in heading.runs)
    assert props(heading, "w:keepNext") is not None and props(after, "w:keepNext") is None
    assert not any(r.bold for r in after.runs)


def test_code_blocks_keep_their_lines_in_the_code_font():
    document, texts = written("Dial:\n\n    9 then\n    the number\n")
    assert texts == ["Dial:", "9 then\nthe number"]
    code = document.paragraphs[-1]
    assert {r.font.name for r in code.runs} == {CODE_FONT}


def test_first_is_given_the_first_paragraph_only():
    given = []
    document, _ = written("One.\n\nTwo.", first=lambda p: (given.append(p.text), p.insert_paragraph_before("(before)")))
    assert given == [""]  # called once, before the paragraph's words are written (to number it)
    assert words(document) == ["(before)", "One.", "Two."]


def test_words_go_into_a_paragraph_already_there():
    writer = new_writer()
    paragraph = writer.document.add_paragraph("Contact: ")
    writer.runs(paragraph, "the **Headteacher**")
    [read] = [p for p in reopened(writer).paragraphs if p.text]
    assert wording(read) == [("run", "Contact: ", False, False, None), ("run", "the ", False, False, None),
                             ("run", "Headteacher", True, False, None)]


def test_an_indent_moves_every_paragraph_in():
    document, _ = written("One.\n\nTwo.", left=851)
    assert [val(props(p, "w:ind"), "left") for p in document.paragraphs if p.text] == ["851", "851"]


# --- links -----------------------------------------------------------------------------------

def test_links_to_the_web_and_to_email_are_hyperlinks_and_bare_addresses_become_links():
    document, _ = written("Read [the **guidance**](https://www.gov.uk/x) or email jo@example.org; "
                          "see https://www.gov.uk/guidance too.")
    [paragraph] = [p for p in document.paragraphs if p.text]
    links = [w for w in wording(paragraph) if w[0] == "link"]
    assert links == [("link", "https://www.gov.uk/x", "the guidance"), ("link", "mailto:jo@example.org", "jo@example.org"),
                     ("link", "https://www.gov.uk/guidance", "https://www.gov.uk/guidance")]
    [guide, *_] = paragraph.hyperlinks
    assert [(r.text, bool(r.bold), r.style.name) for r in guide.runs if r.text] == [("the ", False, "Hyperlink"),
                                                                          ("guidance", True, "Hyperlink")]


def test_a_link_to_a_part_of_this_policy_is_a_link_to_its_bookmark():
    writer = new_writer()
    writer.markdown("As [the scope](#scope) says.")
    [paragraph] = [p for p in reopened(writer).paragraphs if p.text]
    assert ("link", "#p_scope", "the scope") in wording(paragraph)
    assert writer.bookmarks.names == {"scope": "p_scope"}  # the same name the section's bookmark gets


def test_a_link_whose_words_are_a_paragraph_number_is_a_cross_reference_field():
    writer = new_writer()
    writer.markdown("See [4.2](#tell-dsl) and [paragraph 4.2](#tell-dsl).")
    [paragraph] = [p for p in reopened(writer).paragraphs if p.text]
    assert paragraph.text == "See 4.2 and paragraph 4.2."
    assert [i.text for i in paragraph._p.iter(qn("w:instrText"))] == [" REF p_tell_dsl \\w \\h "]
    assert [val(c, "fldCharType") for c in paragraph._p.iter(qn("w:fldChar"))] == ["begin", "separate", "end"]
    assert [w for w in wording(paragraph) if w[0] == "link"] == [("link", "#p_tell_dsl", "paragraph 4.2")]


def test_a_link_to_another_page_of_the_website_is_its_words_alone():
    document, texts = written("Read the [ICT policy](ict.html) and [the one below](../oak/ict.html#use).")
    assert texts == ["Read the ICT policy and the one below."]
    [paragraph] = [p for p in document.paragraphs if p.text]
    assert not paragraph.hyperlinks and not paragraph._p.findall(".//w:hyperlink", NS)


# --- lists -----------------------------------------------------------------------------------

def numbered(paragraph) -> tuple[str, str] | None:
    num = props(paragraph, "w:numPr")
    return None if num is None else (val(num.find("w:numId", NS)), val(num.find("w:ilvl", NS)))


def test_each_list_is_a_list_of_its_own_and_a_nested_list_is_a_level_down():
    writer = new_writer()
    writer.markdown("1. Report it\n2. Write it down\n   - the date\n   - the time\n\nThen:\n\n- rest")
    document = reopened(writer)
    paragraphs = [p for p in document.paragraphs if p.text]
    got = [(p.text, p.style.name, numbered(p)) for p in paragraphs]
    ordered, nested, bullets = got[0][2][0], got[2][2][0], got[5][2][0]
    assert got == [("Report it", "List Number", (ordered, "0")), ("Write it down", "List Number", (ordered, "0")),
                   ("the date", "List Bullet", (nested, "1")), ("the time", "List Bullet", (nested, "1")),
                   ("Then:", "Normal", None), ("rest", "List Bullet", (bullets, "0"))]
    assert len({ordered, nested, bullets}) == 3
    abstract = {val(n, "numId"): val(n.find("w:abstractNumId", NS))
                for n in document.part.numbering_part.element.findall("w:num", NS)}
    assert (abstract[ordered], abstract[nested], abstract[bullets]) == ("14", "13", "13")  # decimal, bullet, bullet
    left = [val(props(p, "w:ind"), "left") for p in paragraphs]
    assert left == [str(LIST_INDENT), str(LIST_INDENT), str(2 * LIST_INDENT), str(2 * LIST_INDENT), None,
                    str(LIST_INDENT)]
    assert {val(props(p, "w:ind"), "hanging") for p in paragraphs if numbered(p)} == {str(LIST_INDENT)}


def test_a_list_starting_at_three_starts_at_three_and_a_second_paragraph_of_an_item_has_no_number():
    writer = new_writer()
    writer.markdown("3. third\n4. fourth\n\n   more about the fourth\n")
    paragraphs = [p for p in reopened(writer).paragraphs if p.text]
    [num_id] = {numbered(p)[0] for p in paragraphs[:2]}
    assert numbered(paragraphs[2]) is None
    assert val(props(paragraphs[2], "w:ind"), "left") == str(LIST_INDENT)
    num = writer.numbering.root.find(f"w:num[@w:numId='{num_id}']", NS)
    assert val(num.find("w:lvlOverride[@w:ilvl='0']/w:startOverride", NS)) == "3"


# --- tables ----------------------------------------------------------------------------------

CONTACTS = """Who to tell:

| Role | Name |
|---|---|
| Headteacher | *Ann Smith* |
| Designated Safeguarding Lead | Jo Bloggs |"""


def test_a_table_is_a_word_table_with_a_bold_repeating_header_row():
    document, texts = written(CONTACTS)
    assert texts == ["Who to tell:"]  # the table's cells are not paragraphs of the clause
    [table] = document.tables
    assert [[c.text for c in r.cells] for r in table.rows] == [
        ["Role", "Name"], ["Headteacher", "Ann Smith"], ["Designated Safeguarding Lead", "Jo Bloggs"]]
    header, *body = table.rows
    assert header._tr.find("w:trPr/w:tblHeader", NS) is not None
    assert all(r.bold for c in header.cells for r in c.paragraphs[0].runs)
    assert {val(tc.find("w:tcPr/w:shd", NS), "fill") for tc in header._tr.findall("w:tc", NS)} == {SHADE}
    assert not any(r._tr.find("w:trPr/w:tblHeader", NS) is not None for r in body)
    assert not any(r.bold for row in body for c in row.cells for r in c.paragraphs[0].runs)
    assert table.cell(1, 1).paragraphs[0].runs[0].italic
    assert table.style.name == "Table Grid"


def test_a_table_keeps_within_the_text_width_and_its_longer_words_get_more_room():
    document, _ = written(CONTACTS)
    [table] = document.tables
    grid = [int(val(c, "w")) for c in table._tbl.tblGrid.findall("w:gridCol", NS)]
    assert sum(grid) <= TEXT_WIDTH and grid[0] > grid[1]
    indented, _ = written(CONTACTS, left=851)
    [moved] = indented.tables
    assert sum(int(val(c, "w")) for c in moved._tbl.tblGrid.findall("w:gridCol", NS)) <= TEXT_WIDTH - 851
    assert val(moved._tbl.tblPr.find("w:tblInd", NS), "w") == "851"
    order = [c.tag.rsplit("}", 1)[-1] for c in moved._tbl.tblPr]
    assert order.index("tblInd") < order.index("tblLayout")  # the schema's order


def test_a_paragraph_follows_a_table_in_the_document_but_not_in_a_cell():
    document, _ = written("| a | b |\n|---|---|\n| c | d |\n\n| e | f |\n|---|---|\n| g | h |")
    body = [child.tag.rsplit("}", 1)[-1] for child in document.element.body]
    assert body[:4] == ["tbl", "p", "tbl", "p"]  # Word joins two tables that touch
    writer = new_writer()
    cell = writer.document.add_table(rows=1, cols=1).cell(0, 0)
    writer.markdown("Call **999**.", container=cell)
    read = reopened(writer)
    assert [p.text for p in read.tables[0].cell(0, 0).paragraphs] == ["", "Call 999."]
    assert not [p for p in read.paragraphs if p.text]


def test_a_clause_that_is_only_a_table_still_has_a_first_paragraph_for_its_number():
    given = []
    document, texts = written("| a | b |\n|---|---|\n| c | d |", first=given.append)
    assert len(given) == 1 and texts == [""]
    body = [child.tag.rsplit("}", 1)[-1] for child in document.element.body]
    assert body[:2] == ["p", "tbl"]
