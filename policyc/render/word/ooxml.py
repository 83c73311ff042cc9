"""Word's XML, the pieces every Word document policyc writes is made of: elements, runs,
fields, numbering, bookmarks, tables, the logo header and page footer, the house style on
a new A4 document, and the deterministic save. render/word/policy.py and redline.py build
documents from them; markdown.py turns a clause's Markdown into them.

What the Word writer makes: each policy as a .docx that HR can edit in Word as if typed there.

Real heading styles (Title, Heading 1, Heading 2…) in the house style (render/word/styles.py),
Word's own automatic numbering (one multi-level list for 1, 1.1, 1.1.1, linked to the
clause styles; lettered and bulleted lists of their own), cross-references as REF fields,
the ratification block and the table of changes as Word tables within the text width, the
logo in the header, a footer with title, version and "Page X of Y" fields, and the core
properties (title, author, language). The words come
from the same presentation data as the HTML page (present.view), and the clause text is
the same Markdown, read by the same markdown-it rules.

The bytes are the same on every run: the zip entries and the core properties carry the
build date, never the time of writing.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile

from docx import Document
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Mm, Pt, RGBColor

from policyc.model import Logo
from policyc.render.html import GENERATOR
from policyc.render.word.styles import (
    CLAUSE_STYLES,
    CODE_FONT,
    FONT,
    SHADE,
    house_styles,
    style_id,
)

LANGUAGE = "en-GB"
INDENT = 851  # twips (1.5 cm) per numbering level
LIST_INDENT = 567  # twips (1 cm) per list level
NUMBER = re.compile(r"\d+(?:\.\d+)*")  # a paragraph number as a cross-reference shows it: 4, 4.2, 4.2.1
HEADING_STYLES = ("Heading 1", "Heading 2", "Heading 3", "Heading 4", "Heading 5", "Heading 6")

# Abstract numbering definitions, by name: (w:abstractNumId, number format, the text of level k).
# The list levels a paragraph style is linked to (w:pStyle in numbering.xml, w:numPr in styles.xml).
_LINKED = {("policy", k + 1): name for k, name in enumerate(CLAUSE_STYLES)} | {
    ("bullet", 0): "List Bullet", ("decimal", 0): "List Number"}
_ABSTRACT = {
    "policy": (10, "decimal", lambda k: ".".join(f"%{i + 1}" for i in range(k + 1)) + ("." if k == 0 else "")),
    "letter": (11, "lowerLetter", lambda k: f"(%{k + 1})"),
    "roman": (12, "lowerRoman", lambda k: f"(%{k + 1})"),
    "bullet": (13, "bullet", lambda k: "•"),
    "decimal": (14, "decimal", lambda k: f"%{k + 1}."),
}


# --- small pieces of WordprocessingML ---------------------------------------------------

def new_element(tag: str, **attrs: str):
    element = OxmlElement(tag)
    for name, value in attrs.items():
        element.set(qn(f"w:{name}"), str(value))
    return element


def text_run(text: str, bold: bool = False, italic: bool = False, code: bool = False,
              link: bool = False, tag: str = "w:t"):
    """A w:r holding text, with a tab or line break wherever the text has one."""
    run = new_element("w:r")
    props = new_element("w:rPr")
    if link:
        props.append(new_element("w:rStyle", val="Hyperlink"))
    if code:
        props.append(new_element("w:rFonts", ascii=CODE_FONT, hAnsi=CODE_FONT, cs=CODE_FONT))
    if bold:
        props.append(new_element("w:b"))
    if italic:
        props.append(new_element("w:i"))
    if len(props):
        run.append(props)
    for i, line in enumerate(text.split("\n")):
        if i:
            run.append(new_element("w:br"))
        for j, piece in enumerate(line.split("\t")):
            if j:
                run.append(new_element("w:tab"))
            if piece:
                t = new_element(tag)
                t.text = piece
                t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
                run.append(t)
    return run


def field_runs(instruction: str, shown: str, link: bool = False) -> list:
    """A complex field's runs (PAGE, NUMPAGES, REF) with the value shown until Word updates it."""
    runs = []
    for kind in ("begin", None, "separate", "result", "end"):
        if kind == "result":
            runs.append(text_run(shown, link=link))
            continue
        run = new_element("w:r")
        if kind is None:
            instr = new_element("w:instrText")
            instr.text = f" {instruction} "
            instr.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
            run.append(instr)
        else:
            run.append(new_element("w:fldChar", fldCharType=kind))
        runs.append(run)
    return runs


def field(paragraph, instruction: str, shown: str) -> None:
    for run in field_runs(instruction, shown):
        paragraph._p.append(run)


def field_char(paragraph, kind: str) -> None:
    run = new_element("w:r")
    run.append(new_element("w:fldChar", fldCharType=kind))
    paragraph._p.append(run)


def paragraph_props(paragraph):
    return paragraph._p.get_or_add_pPr()


def set_child(parent, child) -> None:
    """Put a pPr child in its schema place (Word is strict about the order of pPr's children)."""
    order = ["w:pStyle", "w:keepNext", "w:keepLines", "w:pageBreakBefore", "w:framePr", "w:widowControl",
             "w:numPr", "w:suppressLineNumbers", "w:pBdr", "w:shd", "w:tabs", "w:suppressAutoHyphens",
             "w:kinsoku", "w:wordWrap", "w:overflowPunct", "w:topLinePunct", "w:autoSpaceDE", "w:autoSpaceDN",
             "w:bidi", "w:adjustRightInd", "w:snapToGrid", "w:spacing", "w:ind", "w:contextualSpacing",
             "w:mirrorIndents", "w:suppressOverlap", "w:jc", "w:textDirection", "w:textAlignment",
             "w:textboxTightWrap", "w:outlineLvl", "w:divId", "w:cnfStyle", "w:rPr", "w:sectPr", "w:pPrChange"]
    tags = [qn(t) for t in order]
    for old in parent.findall(child.tag):
        parent.remove(old)
    rank = tags.index(child.tag)
    for i, existing in enumerate(parent):
        if existing.tag in tags and tags.index(existing.tag) > rank:
            parent.insert(i, child)
            return
    parent.append(child)


def number_paragraph(paragraph, num_id: int, level: int) -> None:
    num = new_element("w:numPr")
    num.append(new_element("w:ilvl", val=level))
    num.append(new_element("w:numId", val=num_id))
    set_child(paragraph_props(paragraph), num)


def indent(paragraph, left: int, hanging: int = 0) -> None:
    ind = new_element("w:ind", left=left)
    if hanging:
        ind.set(qn("w:hanging"), str(hanging))
    set_child(paragraph_props(paragraph), ind)


def keep_with_next(paragraph) -> None:
    set_child(paragraph_props(paragraph), new_element("w:keepNext"))


class Numbering:
    """numbering.xml: the abstract definitions once, then a w:num per list that restarts."""

    def __init__(self, document) -> None:
        self.root = document.part.numbering_part.element
        first_num = self.root.find(qn("w:num"))
        for name, (abstract_id, fmt, text) in _ABSTRACT.items():
            abstract = new_element("w:abstractNum", abstractNumId=abstract_id)
            abstract.append(new_element("w:multiLevelType", val="multilevel" if name == "policy" else "hybridMultilevel"))
            for k in range(9):
                lvl = new_element("w:lvl", ilvl=k)
                lvl.append(new_element("w:start", val=1))
                lvl.append(new_element("w:numFmt", val=fmt))
                if (name, k) in _LINKED:
                    lvl.append(new_element("w:pStyle", val=style_id(_LINKED[name, k])))
                lvl.append(new_element("w:lvlText", val=text(k)))
                lvl.append(new_element("w:lvlJc", val="left"))
                ppr = new_element("w:pPr")
                step = INDENT if name == "policy" else LIST_INDENT
                ppr.append(new_element("w:ind", left=step * (k + 1), hanging=step))
                lvl.append(ppr)
                if fmt == "bullet":
                    rpr = new_element("w:rPr")
                    rpr.append(new_element("w:rFonts", ascii=FONT, hAnsi=FONT, hint="default"))
                    lvl.append(rpr)
                abstract.append(lvl)
            if first_num is not None:
                first_num.addprevious(abstract)
            else:
                self.root.append(abstract)
        taken = [int(n.get(qn("w:numId"))) for n in self.root.findall(qn("w:num"))]
        self.next_id = max(taken, default=0) + 1
        self.policy = self.new("policy", restart=False)  # sections 1, clauses 1.1, 1.1.1: one list
        # What List Bullet and List Number number with where a paragraph names no list of its own.
        self.bullets = self.new("bullet", restart=False)
        self.decimals = self.new("decimal", restart=False)

    def new(self, name: str, restart: bool = True, start: int = 1) -> int:
        """A w:num for one list; `restart` starts every level again at `start` (a new (a))."""
        num_id = self.next_id
        self.next_id += 1
        num = new_element("w:num", numId=num_id)
        num.append(new_element("w:abstractNumId", val=_ABSTRACT[name][0]))
        if restart:
            for k in range(9):
                override = new_element("w:lvlOverride", ilvl=k)
                override.append(new_element("w:startOverride", val=start if k == 0 else 1))
                num.append(override)
        self.root.append(num)
        return num_id


class Bookmarks:
    """A Word bookmark per section and clause id, so a cross-reference is a link inside the file."""

    def __init__(self) -> None:
        self.names: dict[str, str] = {}
        self.next_id = 1

    def name(self, anchor: str) -> str:
        if anchor not in self.names:
            base = "p_" + re.sub(r"[^A-Za-z0-9]", "_", anchor)
            name, n = base[:40], 1
            while name in self.names.values():
                n += 1
                name = f"{base[:36]}_{n}"
            self.names[anchor] = name
        return self.names[anchor]

    def mark(self, paragraph, anchor: str) -> None:
        start = new_element("w:bookmarkStart", id=self.next_id, name=self.name(anchor))
        end = new_element("w:bookmarkEnd", id=self.next_id)
        self.next_id += 1
        p = paragraph._p
        ppr = p.find(qn("w:pPr"))
        if ppr is not None:
            ppr.addnext(start)
        else:
            p.insert(0, start)
        p.append(end)


# --- Markdown to Word -------------------------------------------------------------------

def words_of(children) -> str:
    return "".join(t.content for t in children or () if t.type in ("text", "code_inline"))


def fit_table(table, widths: list[int]) -> None:
    """Fixed column widths (w:tblGrid, every w:tcW, w:tblW their sum), so the table keeps
    within the text width in Word and LibreOffice alike; a merged cell takes its columns'."""
    table.autofit = False
    tbl = table._tbl
    total = new_element("w:tblW", w=sum(widths), type="dxa")
    old = tbl.tblPr.find(qn("w:tblW"))
    if old is not None:
        old.addprevious(total)
        tbl.tblPr.remove(old)
    for col, width in zip(tbl.tblGrid.findall(qn("w:gridCol")), widths):
        col.set(qn("w:w"), str(width))
    for tr in tbl.findall(qn("w:tr")):
        column = 0
        for tc in tr.findall(qn("w:tc")):
            span = tc.tcPr.find(qn("w:gridSpan")) if tc.tcPr is not None else None
            n = int(span.get(qn("w:val"))) if span is not None else 1
            tc.get_or_add_tcPr().get_or_add_tcW().set(qn("w:w"), str(sum(widths[column:column + n])))
            tc.tcPr.tcW.set(qn("w:type"), "dxa")
            column += n


def embolden(paragraph) -> None:
    for run in paragraph._p.iter(qn("w:r")):
        rpr = run.find(qn("w:rPr"))
        if rpr is None:
            rpr = new_element("w:rPr")
            run.insert(0, rpr)
        if rpr.find(qn("w:b")) is None:  # after w:rStyle and w:rFonts, as the schema orders them
            before = [c for c in rpr if c.tag in (qn("w:rStyle"), qn("w:rFonts"))]
            rpr.insert(len(before), new_element("w:b"))


def repeat_header(row) -> None:
    """A header row: repeated at the top of each page (w:tblHeader), on the page's grey ground."""
    tr_pr = row._tr.get_or_add_trPr()
    tr_pr.append(new_element("w:tblHeader"))
    for tc in row._tr.findall(qn("w:tc")):
        shade(tc)


# --- the policy -------------------------------------------------------------------------



def pad_cells(table, top: int, side: int) -> None:
    """The table's own cell padding (w:tblCellMar), in the schema's place after the layout."""
    tbl_pr = table._tbl.tblPr
    margins = new_element("w:tblCellMar")
    for edge, width in (("top", top), ("left", side), ("bottom", top), ("right", side)):
        margins.append(new_element(f"w:{edge}", w=width, type="dxa"))
    later = [c for c in tbl_pr if c.tag in {qn("w:tblLook"), qn("w:tblCaption"), qn("w:tblDescription")}]
    (later[0].addprevious(margins) if later else tbl_pr.append(margins))


def shade(tc) -> None:
    """A label cell's grey ground, as the page's th (--shade)."""
    tc_pr = tc.get_or_add_tcPr()
    fill = new_element("w:shd", val="clear", color="auto", fill=SHADE)
    later = [c for c in tc_pr if c.tag in {qn(t) for t in ("w:noWrap", "w:tcMar", "w:textDirection", "w:tcFitText",
                                                           "w:vAlign", "w:hideMark")}]
    (later[0].addprevious(fill) if later else tc_pr.append(fill))


def clause_style(level: int) -> str:
    """The paragraph style of a clause numbered at `level` (1 for 1.1), linked to the policy's list."""
    return CLAUSE_STYLES[min(level, len(CLAUSE_STYLES)) - 1]


def house(document, numbering: Numbering, accent: str) -> None:
    """The house style (render/word/styles.py) on a new document, its list styles linked to `numbering`."""
    house_styles(document, accent, {"policy": numbering.policy, "bullet": numbering.bullets,
                                    "decimal": numbering.decimals})


def new_document():
    """An empty A4 document in British English, without python-docx's own thumbnail."""
    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Mm(22))
    defaults = doc.styles.element.find(qn("w:docDefaults"))
    lang = defaults.find(f"{qn('w:rPrDefault')}/{qn('w:rPr')}/{qn('w:lang')}")
    lang.set(qn("w:val"), LANGUAGE)
    lang.set(qn("w:eastAsia"), LANGUAGE)
    package = doc.part.package
    for rid, rel in list(package.rels.items()):
        if rel.reltype == RT.THUMBNAIL:
            package.rels.pop(rid)
    settings = doc.settings.element
    theme = settings.find(qn("w:themeFontLang"))
    if theme is not None:
        theme.set(qn("w:val"), LANGUAGE)
    return doc



def save(doc, properties: dict, today: dt.date) -> bytes:
    """The document's bytes, the same on every run: the build date in the core properties
    and on every zip entry, never the time of writing."""
    core = doc.core_properties
    stamp = dt.datetime(today.year, today.month, today.day)
    core.title = properties["title"]
    core.author = properties["author"]
    core.subject = properties.get("subject", "")
    core.keywords = properties.get("keywords", "")
    core.category = properties.get("category", "")
    core.content_status = properties.get("content_status", "")
    core.version = properties.get("version", "")
    core.comments = f"Made by {GENERATOR} from the trust's policy sources."
    core.language = LANGUAGE
    core.last_modified_by = GENERATOR
    core.revision = 1
    core.created = core.modified = stamp
    raw = io.BytesIO()
    doc.save(raw)
    return fixed_zip(raw.getvalue(), today)


def fixed_zip(data: bytes, today: dt.date) -> bytes:
    """The same zip with every entry dated the build day (no clock time) and in the same order."""
    when = (max(today.year, 1980), today.month, today.day, 0, 0, 0)
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=when)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            target.writestr(entry, source.read(info.filename))
    return out.getvalue()


def logo_header(doc, logo: Logo) -> None:
    """The trust's or school's logo at the head of every page, 10 mm high, with its text
    alternative as the picture's description (what Word's Alt Text pane shows and reads).
    Word draws PNG everywhere, so an SVG logo goes in drawn as a PNG (cairosvg) at 240 px high."""
    picture = logo.data
    if logo.media_type == "image/svg+xml":
        import cairosvg  # only a Word file with an SVG logo needs it
        picture = cairosvg.svg2png(bytestring=logo.data, output_height=240, unsafe=False)
    paragraph = doc.sections[0].header.paragraphs[0]
    paragraph.paragraph_format.space_after = Pt(8)  # air between the logo and the school's name
    shape = paragraph.add_run().add_picture(io.BytesIO(picture), height=Mm(10))
    doc_pr = shape._inline.docPr
    doc_pr.set("descr", logo.alt)
    doc_pr.set("name", "Logo")


def draft_header(doc) -> None:
    """DRAFT at the top of every page, large and grey (a watermark Word and LibreOffice both keep)."""
    header = doc.sections[0].header
    p = header.paragraphs[0]
    if p._p.xpath(".//w:drawing"):  # beside the logo, on the Header style's centre tab
        p.add_run().add_tab()
    else:
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = p.add_run("DRAFT")
    run.bold = True
    run.font.size = Pt(28)
    run.font.color.rgb = RGBColor(0x50, 0x5A, 0x5F)  # 7:1 on white, as the HTML's secondary text


def page_footer(doc, words: str, more: list[str] = ()) -> None:
    footer = doc.sections[0].footer
    p = footer.paragraphs[0]
    p.add_run(words)  # the Footer style's size, the page numbers' too: one size in the footer
    for line in more:
        footer.add_paragraph(style="Footer").add_run(line)
    p2 = footer.add_paragraph(style="Footer")
    p2.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    p2.add_run("Page ")
    field(p2, "PAGE", "1")
    p2.add_run(" of ")
    field(p2, "NUMPAGES", "1")
