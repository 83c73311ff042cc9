"""Word's XML pieces (policyc/render/word/ooxml.py), each on a small document made here:
the deterministic save, fields, runs, the order of a paragraph's properties, numbering,
bookmarks, tables and the page footer. Whole documents are tested in test_policy.py."""

from __future__ import annotations

import datetime as dt
import io
import types
import zipfile

import docx
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from markdown_it.token import Token

from policyc.render.html import GENERATOR
from policyc.render.word.ooxml import (
    LANGUAGE,
    Bookmarks,
    Numbering,
    embolden,
    field,
    field_char,
    field_runs,
    fit_table,
    fixed_zip,
    indent,
    keep_with_next,
    new_document,
    number_paragraph,
    pad_cells,
    page_footer,
    repeat_header,
    save,
    set_child,
    text_run,
    words_of,
)
from policyc.render.word.styles import SHADE
from policyc.text import prose
from tests.helpers import NS

BUILD_DAY = dt.date(2026, 11, 22)
PROPERTIES = {"title": "Staff Conduct Online", "author": "Test Trust"}


def local(element) -> str:
    return element.tag.rsplit("}", 1)[-1]


def children(element) -> list[str]:
    return [local(c) for c in element]


def a_document(words: str = "Tell the office."):
    document = new_document()
    document.add_paragraph(words)
    return document


def reopened(data: bytes):
    return docx.Document(io.BytesIO(data))


# --- the deterministic save ----------------------------------------------------------------

def zip_of(entries: list[tuple[str, bytes]], when: tuple, method: int, mode: int) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        for name, data in entries:
            info = zipfile.ZipInfo(name, date_time=when)
            info.compress_type = method
            info.external_attr = mode << 16
            z.writestr(info, data)
    return out.getvalue()


ENTRIES = [("[Content_Types].xml", b"<Types/>"), ("word/document.xml", b"<w:document/>" * 50),
           ("docProps/core.xml", b"<cp:coreProperties/>")]


def test_a_zip_written_at_another_time_or_another_way_comes_out_the_same_bytes():
    morning = zip_of(ENTRIES, (2026, 11, 22, 9, 15, 30), zipfile.ZIP_STORED, 0o600)
    evening = zip_of(ENTRIES, (2026, 11, 23, 18, 40, 2), zipfile.ZIP_DEFLATED, 0o755)
    assert morning != evening
    assert fixed_zip(morning, BUILD_DAY) == fixed_zip(evening, BUILD_DAY)


def test_every_entry_is_dated_the_build_day_at_midnight_in_its_first_order():
    written = zipfile.ZipFile(io.BytesIO(fixed_zip(zip_of(ENTRIES, (2030, 1, 2, 3, 4, 6), zipfile.ZIP_STORED, 0o600),
                                                    BUILD_DAY)))
    assert [i.filename for i in written.infolist()] == [name for name, _ in ENTRIES]
    assert {i.date_time for i in written.infolist()} == {(2026, 11, 22, 0, 0, 0)}
    assert {i.compress_type for i in written.infolist()} == {zipfile.ZIP_DEFLATED}
    assert {i.external_attr >> 16 for i in written.infolist()} == {0o644}
    assert [written.read(name) for name, _ in ENTRIES] == [data for _, data in ENTRIES]


def test_a_build_day_before_zip_time_began_is_dated_1980():
    written = zipfile.ZipFile(io.BytesIO(fixed_zip(zip_of(ENTRIES, (2026, 1, 1, 0, 0, 0), zipfile.ZIP_STORED, 0o644),
                                                    dt.date(1975, 6, 30))))
    assert {i.date_time for i in written.infolist()} == {(1980, 6, 30, 0, 0, 0)}


def test_the_same_document_saved_at_two_clock_times_is_the_same_bytes(monkeypatch):
    def saved_at(when: float, keep_the_time: bool) -> bytes:
        clock = types.SimpleNamespace(time=lambda: when, localtime=zipfile.time.localtime)
        monkeypatch.setattr(zipfile, "time", clock)  # what python-docx's zip entries are dated by
        try:
            document = a_document()
            if keep_the_time:
                raw = io.BytesIO()
                document.save(raw)
                return raw.getvalue()
            return save(document, PROPERTIES, BUILD_DAY)
        finally:
            monkeypatch.undo()

    nine, six = dt.datetime(2026, 11, 22, 9).timestamp(), dt.datetime(2026, 11, 25, 18).timestamp()
    assert saved_at(nine, keep_the_time=True) != saved_at(six, keep_the_time=True)  # what save has to undo
    assert saved_at(nine, keep_the_time=False) == saved_at(six, keep_the_time=False)


def test_the_core_properties_carry_the_build_day_and_the_document_s_own_words():
    data = save(a_document(), PROPERTIES | {"subject": "Conduct", "version": "1.2"}, BUILD_DAY)
    core = reopened(data).core_properties
    assert core.created == core.modified == dt.datetime(2026, 11, 22, tzinfo=dt.UTC)
    assert (core.title, core.author, core.subject, core.version) == ("Staff Conduct Online", "Test Trust", "Conduct", "1.2")
    assert core.language == LANGUAGE == "en-GB"
    assert core.last_modified_by == GENERATOR and core.revision == 1
    assert reopened(data).paragraphs[-1].text == "Tell the office."


def test_a_new_document_is_a4_in_british_english_without_a_thumbnail():
    document = reopened(save(new_document(), PROPERTIES, BUILD_DAY))
    section = document.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    assert {round(getattr(section, f"{side}_margin").mm) for side in ("left", "right", "top", "bottom")} == {22}
    lang = document.styles.element.find("w:docDefaults/w:rPrDefault/w:rPr/w:lang", NS)
    assert (lang.get(qn("w:val")), lang.get(qn("w:eastAsia"))) == ("en-GB", "en-GB")
    def thumbnails(doc) -> list:
        return [r for r in doc.part.package.rels.values() if r.reltype.endswith("/thumbnail")]

    assert thumbnails(docx.Document()) and not thumbnails(document)  # python-docx's own template has one


# --- fields and runs -----------------------------------------------------------------------

def field_parts(runs) -> list[tuple[str, str]]:
    """Each run as (what it holds, its words or field character type)."""
    parts = []
    for run in runs:
        [content] = [c for c in run if local(c) != "rPr"]
        parts.append((local(content), content.text if content.text is not None else content.get(qn("w:fldCharType"))))
    return parts


def test_a_field_is_begin_instruction_separate_shown_value_end():
    paragraph = new_document().add_paragraph("Page ")
    field(paragraph, "PAGE", "1")
    runs = paragraph._p.findall(qn("w:r"))[1:]
    assert field_parts(runs) == [("fldChar", "begin"), ("instrText", " PAGE "), ("fldChar", "separate"),
                                 ("t", "1"), ("fldChar", "end")]
    assert runs[1][0].get("{http://www.w3.org/XML/1998/namespace}space") == "preserve"


def test_a_linked_field_shows_its_value_in_the_hyperlink_style_only():
    runs = field_runs("REF p_about \\w \\h", "4.2", link=True)
    styled = [r.find("w:rPr/w:rStyle", NS) for r in runs]
    assert [s.get(qn("w:val")) if s is not None else None for s in styled] == [None, None, None, "Hyperlink", None]
    assert field_parts(runs)[1] == ("instrText", " REF p_about \\w \\h ")


def test_field_char_adds_one_run_of_one_field_character():
    paragraph = new_document().add_paragraph()
    field_char(paragraph, "begin")
    field_char(paragraph, "end")
    assert field_parts(paragraph._p.findall(qn("w:r"))) == [("fldChar", "begin"), ("fldChar", "end")]


def test_a_run_turns_tabs_and_new_lines_into_word_s_own():
    run = text_run("Name:\tJo\nRole: lead ")
    assert children(run) == ["t", "tab", "t", "br", "t"]
    assert [t.text for t in run.findall(qn("w:t"))] == ["Name:", "Jo", "Role: lead "]


def test_a_run_s_properties_are_in_the_schema_s_order():
    run = text_run("x", bold=True, italic=True, code=True, link=True)
    assert children(run.find(qn("w:rPr"))) == ["rStyle", "rFonts", "b", "i"]
    assert run.find(qn("w:rPr")) is run[0]
    assert text_run("plain").find(qn("w:rPr")) is None
    assert children(text_run("gone", tag="w:delText")) == ["delText"]


def test_embolden_makes_every_run_bold_once_after_its_style_and_font():
    paragraph = new_document().add_paragraph()
    paragraph._p.append(text_run("see ", code=True, link=True))
    paragraph._p.append(text_run("this"))
    embolden(paragraph)
    embolden(paragraph)
    first, second = paragraph._p.findall(qn("w:r"))
    assert children(first.find(qn("w:rPr"))) == ["rStyle", "rFonts", "b"]
    assert children(second.find(qn("w:rPr"))) == ["b"] and second[0].tag == qn("w:rPr")


# --- a paragraph's properties --------------------------------------------------------------

def test_paragraph_properties_go_in_the_schema_s_order_whatever_order_they_are_set_in():
    paragraph = new_document().add_paragraph()
    indent(paragraph, 567, 283)
    number_paragraph(paragraph, 7, 1)
    keep_with_next(paragraph)
    paragraph.style = "List Bullet"
    ppr = paragraph._p.pPr
    assert children(ppr) == ["pStyle", "keepNext", "numPr", "ind"]
    assert ppr.find("w:numPr/w:ilvl", NS).get(qn("w:val")) == "1"
    assert ppr.find("w:numPr/w:numId", NS).get(qn("w:val")) == "7"
    assert (ppr.find(qn("w:ind")).get(qn("w:left")), ppr.find(qn("w:ind")).get(qn("w:hanging"))) == ("567", "283")


def test_setting_a_property_again_replaces_it():
    paragraph = new_document().add_paragraph()
    indent(paragraph, 567, 283)
    indent(paragraph, 1134)
    [ind] = paragraph._p.pPr.findall(qn("w:ind"))
    assert ind.get(qn("w:left")) == "1134" and ind.get(qn("w:hanging")) is None
    set_child(paragraph._p.pPr, paragraph._p.pPr.makeelement(qn("w:jc"), {qn("w:val"): "center"}))
    assert children(paragraph._p.pPr) == ["ind", "jc"]


# --- numbering -----------------------------------------------------------------------------

def test_the_lists_are_defined_once_before_any_list_that_uses_them():
    document = new_document()
    numbering = Numbering(document)
    root = numbering.root
    kinds = children(root)
    assert kinds.index("num") > max(i for i, k in enumerate(kinds) if k == "abstractNum")  # the schema's order
    abstract = {a.get(qn("w:abstractNumId")): a for a in root.findall(qn("w:abstractNum"))}
    assert {"10", "11", "12", "13", "14"} <= set(abstract)

    def level(abstract_id: str, k: int) -> tuple[str, str]:
        lvl = abstract[abstract_id].find(f"w:lvl[@w:ilvl='{k}']", NS)
        return lvl.find("w:numFmt", NS).get(qn("w:val")), lvl.find("w:lvlText", NS).get(qn("w:val"))

    assert [level("10", k) for k in range(3)] == [("decimal", "%1."), ("decimal", "%1.%2"), ("decimal", "%1.%2.%3")]
    assert level("11", 0) == ("lowerLetter", "(%1)") and level("12", 1) == ("lowerRoman", "(%2)")
    assert level("13", 0)[0] == "bullet"
    assert len({numbering.policy, numbering.bullets, numbering.decimals}) == 3


def test_a_new_list_restarts_at_its_start_and_gets_an_id_of_its_own():
    numbering = Numbering(new_document())
    first, second = numbering.new("letter", start=3), numbering.new("roman")
    assert second == first + 1 > numbering.decimals
    num = numbering.root.find(f"w:num[@w:numId='{first}']", NS)
    assert num.find("w:abstractNumId", NS).get(qn("w:val")) == "11"
    starts = [o.find("w:startOverride", NS).get(qn("w:val")) for o in num.findall("w:lvlOverride", NS)]
    assert starts == ["3"] + ["1"] * 8
    carried_on = numbering.root.find(f"w:num[@w:numId='{numbering.new('bullet', restart=False)}']", NS)
    assert carried_on.find("w:lvlOverride", NS) is None


# --- bookmarks -----------------------------------------------------------------------------

def test_a_bookmark_name_is_word_safe_short_and_one_per_anchor():
    bookmarks = Bookmarks()
    assert bookmarks.name("about") == bookmarks.name("about") == "p_about"
    assert bookmarks.name("a.b c") == "p_a_b_c"
    assert bookmarks.name("a_b_c") == "p_a_b_c_2"  # the same once made safe: another name
    long = [bookmarks.name("x" * 50), bookmarks.name("x" * 50 + "y"), bookmarks.name("x" * 45)]
    names = list(bookmarks.names.values())
    assert len(set(names)) == len(names) == 6
    assert all(len(n) <= 40 for n in long)  # Word's limit


def test_a_bookmark_spans_the_paragraph_after_its_properties():
    document = new_document()
    bookmarks = Bookmarks()
    first, second = document.add_paragraph("Scope", style="Heading 1"), document.add_paragraph("Rules")
    bookmarks.mark(first, "scope")
    bookmarks.mark(second, "rules")
    assert children(first._p) == ["pPr", "bookmarkStart", "r", "bookmarkEnd"]
    assert children(second._p) == ["bookmarkStart", "r", "bookmarkEnd"]
    ids = [(p[i].get(qn("w:id")), p[-1].get(qn("w:id"))) for p, i in ((first._p, 1), (second._p, 0))]
    assert ids == [("1", "1"), ("2", "2")]
    assert second._p[0].get(qn("w:name")) == "p_rules"


# --- tables --------------------------------------------------------------------------------

def test_a_header_row_repeats_on_every_page_on_a_grey_ground():
    document = new_document()
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 1).vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER  # a w:vAlign, which the w:shd must come before
    repeat_header(table.rows[0])
    data = reopened(save(document, PROPERTIES, BUILD_DAY))
    header, body = data.tables[0].rows
    assert header._tr.find("w:trPr/w:tblHeader", NS) is not None and body._tr.find("w:trPr/w:tblHeader", NS) is None
    assert [tc.find("w:tcPr/w:shd", NS).get(qn("w:fill")) for tc in header._tr.findall(qn("w:tc"))] == [SHADE] * 2
    assert children(header._tr.findall(qn("w:tc"))[1].tcPr)[-2:] == ["shd", "vAlign"]
    assert body._tr.find("w:tc/w:tcPr/w:shd", NS) is None


def test_a_fitted_table_has_fixed_widths_and_a_merged_cell_takes_its_columns():
    document = new_document()
    table = document.add_table(rows=2, cols=3)
    table.cell(1, 1).merge(table.cell(1, 2))
    fit_table(table, [1000, 2000, 3000])
    tbl = table._tbl
    assert [c.get(qn("w:w")) for c in tbl.tblGrid.findall(qn("w:gridCol"))] == ["1000", "2000", "3000"]
    [width] = tbl.tblPr.findall(qn("w:tblW"))
    assert (width.get(qn("w:w")), width.get(qn("w:type"))) == ("6000", "dxa")
    assert tbl.tblPr.find("w:tblLayout", NS).get(qn("w:type")) == "fixed"
    cells = [[(tc.tcPr.tcW.get(qn("w:w")), tc.tcPr.tcW.get(qn("w:type"))) for tc in tr.findall(qn("w:tc"))]
             for tr in tbl.findall(qn("w:tr"))]
    assert cells == [[("1000", "dxa"), ("2000", "dxa"), ("3000", "dxa")], [("1000", "dxa"), ("5000", "dxa")]]


def test_cell_padding_comes_before_the_table_look():
    document = new_document()
    table = document.add_table(rows=1, cols=1)
    table.style = "Table Grid"
    pad_cells(table, 57, 85)
    assert children(table._tbl.tblPr)[-2:] == ["tblCellMar", "tblLook"]
    margins = table._tbl.tblPr.find(qn("w:tblCellMar"))
    assert [(local(m), m.get(qn("w:w"))) for m in margins] == [("top", "57"), ("left", "85"), ("bottom", "57"),
                                                               ("right", "85")]


# --- words -------------------------------------------------------------------------------

def test_words_of_is_the_text_and_code_of_inline_tokens_without_the_markup():
    [inline] = prose._renderer().parseInline("**Call** `999` or [the office](https://x.example) now")
    assert words_of(inline.children) == "Call 999 or the office now"
    made = [Token("text", "", 0, content="a "), Token("em_open", "em", 1, markup="*"),
            Token("html_inline", "", 0, content="<b>"), Token("code_inline", "code", 0, content="b")]
    assert words_of(made) == "a b"
    assert words_of(None) == words_of([]) == ""


# --- the footer ----------------------------------------------------------------------------

def test_the_footer_says_page_x_of_y_with_fields_word_updates():
    document = new_document()
    page_footer(document, "Staff Conduct Online · version 1.2", ["Oak Primary School"])
    footer = reopened(save(document, PROPERTIES, BUILD_DAY)).sections[0].footer
    assert [p.text for p in footer.paragraphs] == ["Staff Conduct Online · version 1.2", "Oak Primary School",
                                                  "Page 1 of 1"]
    last = footer.paragraphs[-1]
    assert last.alignment == WD_ALIGN_PARAGRAPH.RIGHT and last.style.name == "Footer"
    assert [i.text for i in last._p.iter(qn("w:instrText"))] == [" PAGE ", " NUMPAGES "]


def test_two_documents_made_alike_are_the_same_bytes():
    assert save(a_document(), PROPERTIES, BUILD_DAY) == save(a_document(), PROPERTIES, BUILD_DAY)
    assert save(a_document(), PROPERTIES, BUILD_DAY) != save(a_document(), PROPERTIES, dt.date(2026, 11, 23))
