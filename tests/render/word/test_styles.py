"""Word's house style, read back from the .docx XML: colours measured, widths added up, fields found."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import docx
import pytest
from lxml import etree

from policyc.cli import main
from policyc.render.word.markdown import Writer
from policyc.render.word.ooxml import Bookmarks, Numbering, house, new_document
from policyc.render.word.styles import ACCENT, TEXT_WIDTH, column_widths
from policyc.text.colour import contrast
from tests.helpers import EXAMPLE, NS, TODAY, W


def xml(path: Path, part: str) -> etree._Element:
    with zipfile.ZipFile(path) as z:
        return etree.fromstring(z.read(part))


def val(element, name: str = "val") -> str:
    return element.get(f"{{{W}}}{name}")


@pytest.fixture(scope="module")
def example(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("word-style") / "out"
    assert main(["--source", str(EXAMPLE), "--output", str(out), "--today", TODAY, "-q", "--format", "docx",
                 "--policy", "social-media", "--policy", "photography"]) == 0
    return out


def documents(out: Path) -> list[Path]:
    found = sorted(out.rglob("*.docx"))
    assert len(found) > 5
    return found


# --- the whole example --------------------------------------------------------------------

@pytest.mark.slow
def test_every_colour_in_the_styles_is_4_5_to_1_on_white(example):
    for path in documents(example):
        styles = xml(path, "word/styles.xml")
        colours = [(val(s.getparent().getparent(), "styleId") if s.getparent().getparent().tag == f"{{{W}}}style"
                    else "defaults", val(s)) for s in styles.iter(f"{{{W}}}color")]
        assert len(colours) > 10
        weak = [(style, c, round(contrast(c), 2)) for style, c in colours if c != "auto" and contrast(c) < 4.5]
        assert not weak, f"{path.name}: {weak}"
        # and the runs that carry a colour of their own (the DRAFT mark, redline ink)
        for part in ("word/document.xml", *[n for n in zipfile.ZipFile(path).namelist() if re.match(r"word/(header|footer)", n)]):
            own = [val(c) for c in xml(path, part).iter(f"{{{W}}}color") if val(c) != "auto"]
            assert all(contrast(c) >= 4.5 for c in own), (path.name, part, own)


@pytest.mark.slow
def test_the_styles_are_the_house_style_not_the_template(example):
    path = example / "hollin-bank-primary/social-media.docx"
    styles = xml(path, "word/styles.xml")
    fonts = styles.find("w:docDefaults/w:rPrDefault/w:rPr/w:rFonts", NS)
    assert val(fonts, "ascii") == "Open Sans" and val(fonts, "asciiTheme") is None
    assert not [s for s in styles.iter() if any("Theme" in a for a in s.attrib)]  # no Calibri or Cambria by theme
    by_id = {val(s, "styleId"): s for s in styles.findall("w:style", NS)}
    for name in ("Title", "Heading1", "Heading2", "Heading3"):  # in the example trust's accent (brand: "#125a4e")
        assert val(by_id[name].find("w:rPr/w:color", NS)) == "125A4E" and by_id[name].find("w:rPr/w:b", NS) is not None
    assert val(by_id["Title"].find("w:rPr/w:sz", NS)) == "40"  # 20 pt, as the PDF's h1
    assert by_id["Title"].find("w:pPr/w:pBdr", NS) is None  # the template's blue rule under the title is gone
    assert not [s for s in by_id if s.startswith(("LightShading", "MediumGrid", "IntenseQuote"))]
    fonts = etree.tostring(xml(path, "word/fontTable.xml"), encoding="unicode")
    assert 'w:name="Open Sans"' in fonts and 'w:altName w:val="Arial"' in fonts
    with zipfile.ZipFile(path) as z:
        rels = z.read("word/_rels/document.xml.rels").decode()
        assert "stylesWithEffects" not in rels
        theme = z.read("word/theme/theme1.xml").decode()
    assert 'typeface="Calibri"' not in theme and 'typeface="Cambria"' not in theme


@pytest.mark.slow
def test_clause_styles_are_linked_to_the_policys_list(example):
    path = example / "hollin-bank-primary/social-media.docx"
    styles, numbering, body = (xml(path, f"word/{p}.xml") for p in ("styles", "numbering", "document"))
    clause = styles.find("w:style[@w:styleId='Clause11']", NS)
    assert clause.find("w:name", NS).get(f"{{{W}}}val") == "Clause 1.1"
    num_id = val(clause.find("w:pPr/w:numPr/w:numId", NS))
    assert val(clause.find("w:pPr/w:numPr/w:ilvl", NS)) == "1"
    abstract = val(numbering.find(f"w:num[@w:numId='{num_id}']/w:abstractNumId", NS))
    level = numbering.find(f"w:abstractNum[@w:abstractNumId='{abstract}']/w:lvl[@w:ilvl='1']", NS)
    assert val(level.find("w:pStyle", NS)) == "Clause11" and val(level.find("w:lvlText", NS)) == "%1.%2"
    # the clause paragraphs wear it, and number in that same list
    wearing = [p for p in body.iter(f"{{{W}}}p") if p.find("w:pPr/w:pStyle[@w:val='Clause11']", NS) is not None]
    assert len(wearing) > 30
    assert {val(p.find("w:pPr/w:numPr/w:numId", NS)) for p in wearing} == {num_id}
    # the lettered and bulleted lists of the policy wear list styles
    used = {val(s) for s in body.iter(f"{{{W}}}pStyle")}
    assert {"ListBullet", "ListParagraph", "Clause111", "TOC1"} <= used


@pytest.mark.slow
def test_word_fills_in_the_contents_and_references_on_opening(example):
    settings = xml(example / "hollin-bank-primary/social-media.docx", "word/settings.xml")
    update = settings.find("w:updateFields", NS)
    assert update is not None and val(update) == "true"
    order = [c.tag.split("}")[1] for c in settings]
    assert order.index("updateFields") < order.index("compat")  # the schema's order, or Word refuses the file


@pytest.mark.slow
def test_a_cross_reference_is_a_ref_field_showing_the_current_number(example):
    path = example / "hollin-bank-primary/social-media.docx"
    body = xml(path, "word/document.xml")
    bookmarks = {val(b, "name") for b in body.iter(f"{{{W}}}bookmarkStart")}
    runs = list(body.iter(f"{{{W}}}r"))
    refs = []
    for i, run in enumerate(runs):
        instr = run.find("w:instrText", NS)
        if instr is not None and instr.text.strip().startswith("REF "):
            shown = "".join(t.text for t in runs[i + 2].iter(f"{{{W}}}t"))  # after the separator
            refs.append((instr.text.split()[1], instr.text.split()[2:], shown))
    assert len(refs) > 5
    for bookmark, switches, shown in refs:
        assert bookmark in bookmarks and switches == ["\\w", "\\h"]
        assert re.fullmatch(r"\d+(\.\d+)*", shown)
    # "see paragraph 3.1" in the source: [[def-social-media]], the definition numbered 3.1
    assert ("p_def_social_media", ["\\w", "\\h"], "3.1") in refs
    document = docx.Document(str(path))
    assert any("(see paragraph 3.1)" in p.text for p in document.paragraphs)  # the cached result reads as the page


def text_width(section) -> int:
    page = section.find("w:pgSz", NS)
    margins = section.find("w:pgMar", NS)
    return int(val(page, "w")) - int(val(margins, "left")) - int(val(margins, "right"))


@pytest.mark.slow
def test_every_table_keeps_within_the_text_width(example):
    seen = 0
    for path in documents(example):
        body = xml(path, "word/document.xml")
        width = text_width(body.find("w:body/w:sectPr", NS))
        assert width == TEXT_WIDTH
        for table in body.iter(f"{{{W}}}tbl"):
            seen += 1
            ind = table.find("w:tblPr/w:tblInd", NS)
            left = int(val(ind, "w")) if ind is not None else 0
            grid = [int(val(c, "w")) for c in table.findall("w:tblGrid/w:gridCol", NS)]
            assert left + sum(grid) <= width, (path.name, left, grid)
            for row in table.findall("w:tr", NS):
                cells = [int(val(c, "w")) for c in row.findall("w:tc/w:tcPr/w:tcW", NS)]
                assert left + sum(cells) <= width and len(cells) == len(row.findall("w:tc", NS))
    assert seen > 10


@pytest.mark.slow
def test_columns_take_their_width_from_their_words(example):
    document = docx.Document(str(example / "hollin-bank-primary/social-media.docx"))
    changes = next(t for t in document.tables if t.cell(0, 0).text == "Date of change")
    grid = [int(val(c, "w")) for c in changes._tbl.findall("w:tblGrid/w:gridCol", NS)]
    assert grid[2] > grid[0] + grid[1]  # the summary gets the room
    assert grid[0] >= len("16 September 2020") * 100  # a long date on one line
    photography = docx.Document(str(example / "hollin-bank-primary/photography.docx"))
    uses = next(t for t in photography.tables if t.cell(0, 0).text == "Use")  # the Markdown table in a clause
    grid = [int(val(c, "w")) for c in uses._tbl.findall("w:tblGrid/w:gridCol", NS)]
    assert len(set(grid)) == 3 and grid[0] == max(grid)  # not equal columns: "Newsletters and the school website"


@pytest.mark.slow
def test_header_rows_repeat_and_the_ratification_cells_are_padded(example):
    document = docx.Document(str(example / "hollin-bank-primary/social-media.docx"))
    changes = next(t for t in document.tables if t.cell(0, 0).text == "Date of change")
    assert changes.rows[0]._tr.find("w:trPr/w:tblHeader", NS) is not None
    record = next(t for t in document.tables if t.cell(0, 0).text.startswith("This policy was ratified by"))
    margins = record._tbl.find("w:tblPr/w:tblCellMar", NS)
    assert margins is not None and int(val(margins.find("w:top", NS), "w")) >= 80
    assert int(val(margins.find("w:left", NS), "w")) >= 113


@pytest.mark.slow
def test_the_page_numbers_are_the_size_of_the_words_around_them(example):
    document = docx.Document(str(example / "hollin-bank-primary/social-media.docx"))
    footer = document.sections[0].footer._element
    runs = list(footer.iter(f"{{{W}}}r"))
    assert len(runs) > 8
    assert not [r for r in runs if r.find("w:rPr/w:sz", NS) is not None]  # each the Footer style's size
    styles = xml(example / "hollin-bank-primary/social-media.docx", "word/styles.xml")
    assert val(styles.find("w:style[@w:styleId='Footer']/w:rPr/w:sz", NS)) == "18"
    assert {val(p) for p in footer.iter(f"{{{W}}}pStyle")} == {"Footer"}


# --- pieces -------------------------------------------------------------------------------

def test_without_a_brand_the_headings_wear_the_house_accent():
    document = new_document()
    house(document, Numbering(document), ACCENT)
    heading = document.styles["Heading 1"].element
    assert val(heading.find("w:rPr/w:color", NS)) == ACCENT == "14506E"  # --accent in policy.css


def test_a_numbered_markdown_list_is_list_number_and_a_bulleted_one_list_bullet():
    document = new_document()
    numbering = Numbering(document)
    house(document, numbering, ACCENT)
    Writer(document, numbering, Bookmarks()).markdown("1. first\n2. second\n\n- a point\n- another")
    styles = [p.style.name for p in document.paragraphs if p.text]
    assert styles == ["List Number", "List Number", "List Bullet", "List Bullet"]


def test_column_widths_fill_the_room_and_never_exceed_it():
    assert column_widths([["a", "b"], ["c", "d"]], 9000) == [4500, 4500]
    dates = ["Date of change", "16 September 2020"]
    wide = column_widths([dates, ["Paragraphs", "All"], ["Summary", "word " * 80]], TEXT_WIDTH)
    assert sum(wide) == TEXT_WIDTH and wide[2] > wide[0] > wide[1] * 0.9
    squeezed = column_widths([["x" * 60], ["y" * 60], ["z" * 60]], 3000)  # words longer than the room
    assert sum(squeezed) == 3000
