"""The Word writer: each policy as a .docx that HR can edit in Word as if typed there.

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
from typing import Optional

from docx import Document
from docx.enum.table import WD_ROW_HEIGHT_RULE, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

from policyc.model import Block, ListItem, Logo, ResolvedPolicy
from policyc.render.html import GENERATOR
from policyc.render.word.styles import (ACCENT, CLAUSE_STYLES, CODE_FONT, FONT, SHADE, TEXT_WIDTH, column_widths,
                                        house_styles, style_id, update_fields_on_open)
from policyc.render.present import change_cells, furniture, view
from policyc.text import prose
from policyc.text.lists import nested_style

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

def _el(tag: str, **attrs: str):
    element = OxmlElement(tag)
    for name, value in attrs.items():
        element.set(qn(f"w:{name}"), str(value))
    return element


def _text_run(text: str, bold: bool = False, italic: bool = False, code: bool = False,
              link: bool = False, tag: str = "w:t"):
    """A w:r holding text, with a tab or line break wherever the text has one."""
    run = _el("w:r")
    props = _el("w:rPr")
    if link:
        props.append(_el("w:rStyle", val="Hyperlink"))
    if code:
        props.append(_el("w:rFonts", ascii=CODE_FONT, hAnsi=CODE_FONT, cs=CODE_FONT))
    if bold:
        props.append(_el("w:b"))
    if italic:
        props.append(_el("w:i"))
    if len(props):
        run.append(props)
    for i, line in enumerate(text.split("\n")):
        if i:
            run.append(_el("w:br"))
        for j, piece in enumerate(line.split("\t")):
            if j:
                run.append(_el("w:tab"))
            if piece:
                t = _el(tag)
                t.text = piece
                t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
                run.append(t)
    return run


def field_runs(instruction: str, shown: str, link: bool = False) -> list:
    """A complex field's runs (PAGE, NUMPAGES, REF) with the value shown until Word updates it."""
    runs = []
    for kind in ("begin", None, "separate", "result", "end"):
        if kind == "result":
            runs.append(_text_run(shown, link=link))
            continue
        run = _el("w:r")
        if kind is None:
            instr = _el("w:instrText")
            instr.text = f" {instruction} "
            instr.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
            run.append(instr)
        else:
            run.append(_el("w:fldChar", fldCharType=kind))
        runs.append(run)
    return runs


def _field(paragraph, instruction: str, shown: str) -> None:
    for run in field_runs(instruction, shown):
        paragraph._p.append(run)


def _field_char(paragraph, kind: str) -> None:
    run = _el("w:r")
    run.append(_el("w:fldChar", fldCharType=kind))
    paragraph._p.append(run)


def _props(paragraph):
    return paragraph._p.get_or_add_pPr()


def _set_child(parent, child) -> None:
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
    num = _el("w:numPr")
    num.append(_el("w:ilvl", val=level))
    num.append(_el("w:numId", val=num_id))
    _set_child(_props(paragraph), num)


def indent(paragraph, left: int, hanging: int = 0) -> None:
    ind = _el("w:ind", left=left)
    if hanging:
        ind.set(qn("w:hanging"), str(hanging))
    _set_child(_props(paragraph), ind)


def keep_with_next(paragraph) -> None:
    _set_child(_props(paragraph), _el("w:keepNext"))


class Numbering:
    """numbering.xml: the abstract definitions once, then a w:num per list that restarts."""

    def __init__(self, document) -> None:
        self.root = document.part.numbering_part.element
        first_num = self.root.find(qn("w:num"))
        for name, (abstract_id, fmt, text) in _ABSTRACT.items():
            abstract = _el("w:abstractNum", abstractNumId=abstract_id)
            abstract.append(_el("w:multiLevelType", val="multilevel" if name == "policy" else "hybridMultilevel"))
            for k in range(9):
                lvl = _el("w:lvl", ilvl=k)
                lvl.append(_el("w:start", val=1))
                lvl.append(_el("w:numFmt", val=fmt))
                if (name, k) in _LINKED:
                    lvl.append(_el("w:pStyle", val=style_id(_LINKED[name, k])))
                lvl.append(_el("w:lvlText", val=text(k)))
                lvl.append(_el("w:lvlJc", val="left"))
                ppr = _el("w:pPr")
                step = INDENT if name == "policy" else LIST_INDENT
                ppr.append(_el("w:ind", left=step * (k + 1), hanging=step))
                lvl.append(ppr)
                if fmt == "bullet":
                    rpr = _el("w:rPr")
                    rpr.append(_el("w:rFonts", ascii=FONT, hAnsi=FONT, hint="default"))
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
        num = _el("w:num", numId=num_id)
        num.append(_el("w:abstractNumId", val=_ABSTRACT[name][0]))
        if restart:
            for k in range(9):
                override = _el("w:lvlOverride", ilvl=k)
                override.append(_el("w:startOverride", val=start if k == 0 else 1))
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
        start = _el("w:bookmarkStart", id=self.next_id, name=self.name(anchor))
        end = _el("w:bookmarkEnd", id=self.next_id)
        self.next_id += 1
        p = paragraph._p
        ppr = p.find(qn("w:pPr"))
        if ppr is not None:
            ppr.addnext(start)
        else:
            p.insert(0, start)
        p.append(end)


# --- Markdown to Word -------------------------------------------------------------------

class Writer:
    """Adds paragraphs, lists and tables to a document (or a table cell) from Markdown."""

    def __init__(self, document, numbering: Numbering, bookmarks: Bookmarks) -> None:
        self.document, self.numbering, self.bookmarks = document, numbering, bookmarks

    # inline text
    def inline(self, paragraph, children) -> None:
        bold = italic = 0
        link: Optional[object] = None
        p = paragraph._p
        children = list(children or ())
        skip = 0
        for i, token in enumerate(children):
            if skip:
                skip -= 1
                continue
            kind = token.type
            reference = self._reference(children, i) if kind == "link_open" else None
            if reference is not None:  # [4.2](#clause): Word's own cross-reference, updated with the numbers
                bookmark, number = reference
                for run in field_runs(f"REF {bookmark} \\w \\h", number, link=True):
                    p.append(run)
                skip = 2
                continue
            if kind == "strong_open":
                bold += 1
            elif kind == "strong_close":
                bold -= 1
            elif kind == "em_open":
                italic += 1
            elif kind == "em_close":
                italic -= 1
            elif kind == "link_open":
                link = self._hyperlink(paragraph, token.attrGet("href") or "")
            elif kind == "link_close":
                if link is not None and len(link):
                    p.append(link)
                link = None
            elif kind in ("text", "code_inline", "softbreak", "hardbreak", "html_inline"):
                text = {"softbreak": " ", "hardbreak": "\n"}.get(kind, token.content)
                run = _text_run(text, bool(bold), bool(italic), kind == "code_inline", link is not None)
                (link if link is not None else p).append(run)

    def _reference(self, children: list, i: int) -> Optional[tuple[str, str]]:
        """(bookmark, number) when children[i] opens a link to a numbered paragraph of this
        document whose words are its number alone, as a cross-reference reads."""
        href = children[i].attrGet("href") or ""
        if not href.startswith("#") or i + 2 >= len(children):
            return None
        words, close = children[i + 1], children[i + 2]
        if words.type != "text" or close.type != "link_close" or not NUMBER.fullmatch(words.content):
            return None
        return self.bookmarks.name(href[1:]), words.content

    def _hyperlink(self, paragraph, href: str):
        if href.startswith("#"):
            return _el("w:hyperlink", anchor=self.bookmarks.name(href[1:]), history=1)
        if href.startswith(("https://", "mailto:")):
            rel = paragraph.part.relate_to(href, RT.HYPERLINK, is_external=True)
            element = _el("w:hyperlink", history=1)
            element.set(qn("r:id"), rel)
            return element
        return None  # a page beside this one on the website: the words stand alone here

    def runs(self, paragraph, markdown_text: str) -> None:
        """Inline Markdown (a list item, a table cell) into an existing paragraph."""
        for token in prose._renderer().parse(markdown_text or ""):
            if token.type == "inline":
                self.inline(paragraph, token.children)

    # blocks
    def paragraph(self, style: Optional[str] = None, left: int = 0, container=None):
        target = container if container is not None else self.document
        paragraph = target.add_paragraph(style=style)
        if left:
            indent(paragraph, left)
        return paragraph

    def markdown(self, text: str, left: int = 0, first=None, container=None) -> list:
        """Markdown blocks as paragraphs, lists and tables; `first` is called on the first
        paragraph (to give it its clause number). Returns the paragraphs written."""
        tokens = prose._renderer().parse(text or "")
        written: list = []
        lists: list[tuple[int, int]] = []  # (w:num, level) of each open list
        kinds: list[str] = []  # and whether it is numbered or bulleted
        item_start = False
        i = 0
        while i < len(tokens):
            token = tokens[i]
            kind = token.type
            if kind in ("bullet_list_open", "ordered_list_open"):
                style = "bullet" if kind == "bullet_list_open" else "decimal"
                start = int(token.attrGet("start") or 1)
                lists.append((self.numbering.new(style, start=start), len(lists)))
                kinds.append(kind)
            elif kind in ("bullet_list_close", "ordered_list_close"):
                lists.pop()
                kinds.pop()
            elif kind == "list_item_open":
                item_start = True
            elif kind in ("paragraph_open", "heading_open"):
                inline = tokens[i + 1]
                style = None
                if lists and item_start:
                    style = "List Number" if kinds[-1] == "ordered_list_open" else "List Bullet"
                paragraph = self.paragraph(style=style, container=container)
                if lists:
                    num_id, level = lists[-1]
                    if item_start:
                        number_paragraph(paragraph, num_id, level)
                        indent(paragraph, left + LIST_INDENT * (level + 1), LIST_INDENT)
                    else:
                        indent(paragraph, left + LIST_INDENT * (level + 1))
                    item_start = False
                elif left:
                    indent(paragraph, left)
                if kind == "heading_open":
                    keep_with_next(paragraph)
                if first is not None and not written:
                    first(paragraph)
                self.inline(paragraph, inline.children)
                if kind == "heading_open":
                    _bold(paragraph)
                written.append(paragraph)
                i += 2
            elif kind == "table_open":
                end = next(j for j in range(i, len(tokens)) if tokens[j].type == "table_close")
                if first is not None and not written:
                    written.append(self._lead(first, left, container))
                self._table(tokens[i:end], left, container)
                i = end
            elif kind in ("code_block", "fence"):
                paragraph = self.paragraph(left=left, container=container)
                if first is not None and not written:
                    first(paragraph)
                paragraph._p.append(_text_run(token.content.rstrip("\n"), code=True))
                written.append(paragraph)
            i += 1
        if first is not None and not written:
            written.append(self._lead(first, left, container))
        return written

    def _lead(self, first, left: int, container):
        paragraph = self.paragraph(container=container)
        first(paragraph)
        return paragraph

    def _table(self, tokens, left: int, container) -> None:
        rows: list[list[tuple[bool, list]]] = []
        for j, token in enumerate(tokens):
            if token.type == "tr_open":
                rows.append([])
            elif token.type in ("th_open", "td_open"):
                rows[-1].append((token.type == "th_open", tokens[j + 1].children))
        if not rows:
            return
        width = max(len(r) for r in rows)
        target = container if container is not None else self.document
        table = target.add_table(rows=len(rows), cols=width)
        table.style = "Table Grid"
        words = [[_words(r[c][1]) if c < len(r) else "" for r in rows] for c in range(width)]
        fit_table(table, column_widths(words, TEXT_WIDTH - left))
        for r, cells in enumerate(rows):
            for c, (header, children) in enumerate(cells):
                paragraph = table.cell(r, c).paragraphs[0]
                self.inline(paragraph, children)
                if header:
                    _bold(paragraph)
            if r == 0 and any(h for h, _ in cells):
                _repeat_header(table.rows[0])
        if left:  # w:tblInd goes before the borders, layout, margins and look (the schema's order)
            table_pr = table._tbl.tblPr
            later = [c for c in table_pr if c.tag in {qn(t) for t in (
                "w:tblBorders", "w:shd", "w:tblLayout", "w:tblCellMar", "w:tblLook", "w:tblCaption")}]
            ind = _el("w:tblInd", w=left, type="dxa")
            (later[0].addprevious(ind) if later else table_pr.append(ind))
        if container is None:
            self.paragraph()  # Word needs a paragraph between two tables; it also gives air


def _words(children) -> str:
    return "".join(t.content for t in children or () if t.type in ("text", "code_inline"))


def fit_table(table, widths: list[int]) -> None:
    """Fixed column widths (w:tblGrid, every w:tcW, w:tblW their sum), so the table keeps
    within the text width in Word and LibreOffice alike; a merged cell takes its columns'."""
    table.autofit = False
    tbl = table._tbl
    total = _el("w:tblW", w=sum(widths), type="dxa")
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


def _bold(paragraph) -> None:
    for run in paragraph._p.iter(qn("w:r")):
        rpr = run.find(qn("w:rPr"))
        if rpr is None:
            rpr = _el("w:rPr")
            run.insert(0, rpr)
        if rpr.find(qn("w:b")) is None:  # after w:rStyle and w:rFonts, as the schema orders them
            before = [c for c in rpr if c.tag in (qn("w:rStyle"), qn("w:rFonts"))]
            rpr.insert(len(before), _el("w:b"))


def _repeat_header(row) -> None:
    """A header row: repeated at the top of each page (w:tblHeader), on the page's grey ground."""
    tr_pr = row._tr.get_or_add_trPr()
    tr_pr.append(_el("w:tblHeader"))
    for tc in row._tr.findall(qn("w:tc")):
        shade(tc)


# --- the policy -------------------------------------------------------------------------

class PolicyDocument:
    """One policy as a Word document, laid out as the HTML page and PDF are."""

    def __init__(self, policy: ResolvedPolicy, today: dt.date) -> None:
        self.policy, self.today = policy, today
        self.view = view(policy, today, GENERATOR, for_web=False)
        self.words = self.view["words"]
        self.document = new_document()
        self.numbering = Numbering(self.document)
        house(self.document, self.numbering, policy.brand.accent or ACCENT)
        update_fields_on_open(self.document)  # the contents get their page numbers, cross-references their numbers
        self.bookmarks = Bookmarks()
        self.out = Writer(self.document, self.numbering, self.bookmarks)

    def build(self) -> bytes:
        v, policy, doc = self.view, self.policy, self.document
        standing = v["standing"]
        if policy.brand.logo:
            logo_header(doc, policy.brand.logo)
        if not standing.is_final:
            draft_header(doc)
        if v["school_name"]:  # a setting whose documents name none prints no name
            doc.add_paragraph(v["school_name"], style="Subtitle")
        doc.add_paragraph(v["title"], style="Title")
        if policy.subtitle:
            doc.add_paragraph(self.words.plain(policy.subtitle), style="Subtitle")
        if v["layout"].position == "end" and v["control"]:
            control_table(doc, v["control"])
        elif v["layout"].status_line:
            p = doc.add_paragraph()
            p.add_run("Status:").bold = True
            p.add_run(f" {standing.label}")
            if v["version"]:
                p.add_run(" · ")
                p.add_run("Version").bold = True
                p.add_run(f" {v['version']}")
        note = draft_note(policy, standing)
        if note:
            p = doc.add_paragraph()
            p.add_run(note).bold = True
        if v["layout"].position in ("start", "both"):
            self.ratification()
        if policy.opening:
            self.out.markdown(self.words.markdown(policy.opening))
        if policy.preamble:
            self.out.markdown(self.words.markdown(policy.preamble))
        if v["contents"]:
            self.contents()
        for part in policy.parts:
            self.part(part)
        if v["layout"].position in ("end", "both"):
            self.ratification()
        self.footer()
        return save(doc, policy_properties(policy, v, self.today), self.today)

    def ratification(self) -> None:
        if not [row for row in self.view["rows"] if row.blank or row.value or row.label]:
            return  # a Word table needs a row
        heading = self.view["layout"].heading
        if heading:
            p = self.document.add_paragraph()
            p.add_run(heading).bold = True
            keep_with_next(p)
        ratification_table(self.document, self.view["rows"])
        self.document.add_paragraph()

    def contents(self) -> None:
        policy = self.policy
        doc = self.document
        doc.add_paragraph(policy.contents.title, style="TOC Heading")
        if policy.contents.note:
            doc.add_paragraph(self.words.plain(policy.contents.note))
        # Word's own table of contents field (TOC of the Heading 1 paragraphs), holding the
        # entries as the page lists them until someone updates it (then with page numbers).
        entries = self.view["contents"]
        for i, entry in enumerate(entries):
            p = doc.add_paragraph()
            _set_child(_props(p), _el("w:pStyle", val="TOC1"))
            if i == 0:
                _field_char(p, "begin")
                instr = _el("w:r")
                text = _el("w:instrText")
                text.text = ' TOC \\o "1-1" \\h \\z \\u '
                text.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
                instr.append(text)
                p._p.append(instr)
                _field_char(p, "separate")
            link = _el("w:hyperlink", anchor=self.bookmarks.name(entry.anchor), history=1)
            link.append(_text_run(f"{entry.number}. {entry.title}" if entry.number else entry.title, link=True))
            p._p.append(link)
            if i == len(entries) - 1:
                _field_char(p, "end")

    def part(self, part) -> None:
        heading = self.document.add_paragraph(style="Heading 1")
        if part.number:
            number_paragraph(heading, self.numbering.policy, 0)
            indent(heading, INDENT, INDENT)
        heading.add_run(self.words.plain(part.title))
        self.bookmarks.mark(heading, part.id)
        for block in part.blocks:
            self.block(block, 1)
        if part.kind == "changes":
            self.changes()

    def block(self, block: Block, depth: int) -> None:
        body, words, out = block.body, self.words, self.out
        level = block.number.count(".") if block.number else 0
        left = INDENT * level if block.number else INDENT * max(depth - 1, 0)
        marked = []

        def first(paragraph) -> None:
            if block.number:
                if level and (paragraph._p.pPr is None or paragraph._p.pPr.pStyle is None):
                    paragraph.style = clause_style(level)
                number_paragraph(paragraph, self.numbering.policy, level)
                indent(paragraph, INDENT * (level + 1) if body.title else left + INDENT, INDENT)
            self.bookmarks.mark(paragraph, block.id)
            marked.append(paragraph)

        if body.title:
            style = HEADING_STYLES[min(depth, len(HEADING_STYLES) - 1)]
            heading = self.document.add_paragraph(style=style)
            first(heading)
            heading.add_run(words.plain(body.title))
            if body.text:
                out.markdown(words.markdown(body.text), left=INDENT * (level + 1) if block.number else left)
        else:
            out.markdown(words.markdown(body.text), left=left + INDENT if block.number else left, first=first)
        text_left = (INDENT * (level + 1)) if block.number else left
        if body.items:
            self.items(body.items, block.list_style, text_left, 0)
        if body.duties:
            d = body.duties
            for lead, items in ((d.must_lead, d.must), (d.must_not_lead, d.must_not)):
                if not items:
                    continue
                if lead:
                    p = out.paragraph(left=text_left)
                    out.runs(p, words.markdown(lead))
                self.items(items, "bullet", text_left, 0)
        if body.after:
            out.markdown(words.markdown(body.after), left=text_left)
        for child in block.children:
            self.block(child, depth + (1 if body.title else 0))

    def items(self, items, style: str, left: int, level: int) -> None:
        """A list of the policy's own (lettered, roman or bulleted), nested lists beneath items."""
        num_id = self.numbering.new(style if style in ("letter", "roman") else "bullet")
        for item in items:
            text = item.text if isinstance(item, ListItem) else item
            p = self.out.paragraph(style="List Bullet" if style == "bullet" else "List Paragraph")
            number_paragraph(p, num_id, level)
            indent(p, left + LIST_INDENT * (level + 1) + (LIST_INDENT if style in ("letter", "roman") else 0),
                   LIST_INDENT * (2 if style in ("letter", "roman") else 1))
            self.out.runs(p, self.words.markdown(text))
            if isinstance(item, ListItem) and item.items:
                self.items(item.items, item.list_style or nested_style(style), left, level + 1)

    def changes(self) -> None:
        policy, doc = self.policy, self.document
        columns = policy.change_columns
        rows = change_cells(policy)
        table = doc.add_table(rows=1 + max(len(rows), 1), cols=len(columns))
        table.style = "Table Grid"
        for c, column in enumerate(columns):
            table.cell(0, c).paragraphs[0].add_run(column.heading).bold = True
        _repeat_header(table.rows[0])
        if not rows:
            cell = table.cell(1, 0).merge(table.cell(1, len(columns) - 1))
            cell.paragraphs[0].add_run("No changes recorded yet.")
        for r, cells in enumerate(rows, start=1):
            for c, (name, text) in enumerate(cells):
                paragraph = table.cell(r, c).paragraphs[0]
                if name == "summary":
                    self.out.runs(paragraph, self.words.markdown(text))
                else:
                    paragraph.add_run(text)
        # Widths from the words, so the summary, the longest, gets the room the dates do not need.
        words = [[column.heading] + [row[c][1] for row in rows] for c, column in enumerate(columns)]
        fit_table(table, column_widths(words, TEXT_WIDTH))
        doc.add_paragraph()

    def footer(self) -> None:
        """The PDF's footer, word for word (present.furniture): title, school, version and
        standing, and the house style's owner and "Uncontrolled when printed" line."""
        first, *house_style = furniture(self.policy, self.view["standing"])
        page_footer(self.document, first, house_style)


def draft_note(policy: ResolvedPolicy, standing) -> str:
    """The same note as the page's, under the title."""
    if standing.key == "changed":
        return (f"This text has changed since version {policy.in_force} was ratified. Version "
                f"{policy.in_force} stays in force until the {policy.body} ratifies the changes.")
    if standing.key == "approved":
        return f"This version has been approved but not yet ratified by the {policy.body}. It is not yet in force."
    if not standing.is_final:
        return f"This is a draft. It has not been ratified by the {policy.body} and is not yet in force."
    return ""


def ratification_table(doc, rows) -> None:
    """The ratification block as a two-column table, as the page's (a statement spans both)."""
    shown = [row for row in rows if row.blank or row.value or row.label]
    table = doc.add_table(rows=len(shown), cols=2)
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.LEFT
    for r, row in enumerate(shown):
        label, value = table.cell(r, 0), table.cell(r, 1)
        if row.blank:
            label.paragraphs[0].add_run(row.label).bold = True
            sign_line(value, row.after)
            table.rows[r].height = Mm(16)
            table.rows[r].height_rule = WD_ROW_HEIGHT_RULE.AT_LEAST
        elif not row.value and not row.after and row.label:
            label.merge(value).paragraphs[0].add_run(row.label)
        else:
            label.paragraphs[0].add_run(row.label).bold = True
            value.paragraphs[0].add_run(row.value + (f" {row.after}" if row.after else ""))
    fit_table(table, [TEXT_WIDTH * 2 // 5, TEXT_WIDTH - TEXT_WIDTH * 2 // 5])  # the page's 40% label column
    pad_cells(table, top=100, side=140)
    for tr in table._tbl.findall(qn("w:tr")):  # each label, and a statement across both columns
        shade(tr.findall(qn("w:tc"))[0])


def pad_cells(table, top: int, side: int) -> None:
    """The table's own cell padding (w:tblCellMar), in the schema's place after the layout."""
    tbl_pr = table._tbl.tblPr
    margins = _el("w:tblCellMar")
    for edge, width in (("top", top), ("left", side), ("bottom", top), ("right", side)):
        margins.append(_el(f"w:{edge}", w=width, type="dxa"))
    later = [c for c in tbl_pr if c.tag in {qn("w:tblLook"), qn("w:tblCaption"), qn("w:tblDescription")}]
    (later[0].addprevious(margins) if later else tbl_pr.append(margins))


def shade(tc) -> None:
    """A label cell's grey ground, as the page's th (--shade)."""
    tc_pr = tc.get_or_add_tcPr()
    fill = _el("w:shd", val="clear", color="auto", fill=SHADE)
    later = [c for c in tc_pr if c.tag in {qn(t) for t in ("w:noWrap", "w:tcMar", "w:textDirection", "w:tcFitText",
                                                           "w:vAlign", "w:hideMark")}]
    (later[0].addprevious(fill) if later else tc_pr.append(fill))


def control_table(doc, facts: list[tuple[str, str]]) -> None:
    """Page 1's facts (school, version, status, approval, next review) as a borderless
    two-column table, as in the PDF, when the full record closes the document."""
    table = doc.add_table(rows=len(facts), cols=2)
    table.alignment = WD_TABLE_ALIGNMENT.LEFT
    for r, (label, value) in enumerate(facts):
        table.cell(r, 0).paragraphs[0].add_run(label).bold = True
        table.cell(r, 1).paragraphs[0].add_run(value)
    fit_table(table, column_widths([[label for label, _ in facts], [value for _, value in facts]], TEXT_WIDTH))
    doc.add_paragraph()


def sign_line(cell, role: str) -> None:
    """A line to sign in ink: an empty paragraph 12 mm down the cell whose bottom border is the
    line, as wide as the cell (95 mm), with the role it is for beneath it. Not typed underscores,
    which are too short, read aloud as 'underscore' and break when a font changes."""
    line = cell.paragraphs[0]
    line.paragraph_format.space_before = Mm(11)
    line.paragraph_format.space_after = Pt(0)
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for key, value in (("w:val", "single"), ("w:sz", "6"), ("w:space", "1"), ("w:color", "0B0C0C")):
        bottom.set(qn(key), value)
    borders.append(bottom)
    _set_child(_props(line), borders)
    if role:
        cell.add_paragraph(role).paragraph_format.space_before = Pt(2)


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
    _field(p2, "PAGE", "1")
    p2.add_run(" of ")
    _field(p2, "NUMPAGES", "1")


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


def policy_properties(policy: ResolvedPolicy, v: dict, today: dt.date) -> dict:
    return {"title": v["title"], "author": v["school_name"] or v["trust_name"],
            "subject": v["title"] + (f" of {v['school_name']}" if v["school_name"] else "") + (f", {v['trust_name']}" if v["trust_name"] else ""),
            "keywords": f"policy, {policy.policy_id}" + (f", {v['school_name']}" if v["school_name"] else ""), "category": "Policy",
            "content_status": v["standing"].label, "version": v["version"] or ""}


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


def render_docx(policy: ResolvedPolicy, today: dt.date) -> bytes:
    return PolicyDocument(policy, today).build()
