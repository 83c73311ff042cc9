"""The policy as a Word document: cover, control table, clauses, change log, ratification."""

from __future__ import annotations

import datetime as dt

from docx.enum.table import WD_ROW_HEIGHT_RULE, WD_TABLE_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from policyc.model import Block, ListItem, ResolvedPolicy
from policyc.render.html import GENERATOR
from policyc.render.present import change_cells, furniture, view
from policyc.render.word.markdown import Writer
from policyc.render.word.ooxml import (
    HEADING_STYLES,
    INDENT,
    LIST_INDENT,
    Bookmarks,
    Numbering,
    clause_style,
    draft_header,
    new_element,
    field_char,
    fit_table,
    house,
    indent,
    keep_with_next,
    logo_header,
    new_document,
    number_paragraph,
    pad_cells,
    page_footer,
    paragraph_props,
    repeat_header,
    save,
    set_child,
    shade,
    text_run,
)
from policyc.render.word.styles import (
    ACCENT,
    TEXT_WIDTH,
    column_widths,
    update_fields_on_open,
)
from policyc.text.lists import nested_style


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
            set_child(paragraph_props(p), new_element("w:pStyle", val="TOC1"))
            if i == 0:
                field_char(p, "begin")
                instr = new_element("w:r")
                text = new_element("w:instrText")
                text.text = ' TOC \\o "1-1" \\h \\z \\u '
                text.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
                instr.append(text)
                p._p.append(instr)
                field_char(p, "separate")
            link = new_element("w:hyperlink", anchor=self.bookmarks.name(entry.anchor), history=1)
            link.append(text_run(f"{entry.number}. {entry.title}" if entry.number else entry.title, link=True))
            p._p.append(link)
            if i == len(entries) - 1:
                field_char(p, "end")

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
        repeat_header(table.rows[0])
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
    set_child(paragraph_props(line), borders)
    if role:
        cell.add_paragraph(role).paragraph_format.space_before = Pt(2)








def policy_properties(policy: ResolvedPolicy, v: dict, today: dt.date) -> dict:
    return {"title": v["title"], "author": v["school_name"] or v["trust_name"],
            "subject": v["title"] + (f" of {v['school_name']}" if v["school_name"] else "") + (f", {v['trust_name']}" if v["trust_name"] else ""),
            "keywords": f"policy, {policy.policy_id}" + (f", {v['school_name']}" if v["school_name"] else ""), "category": "Policy",
            "content_status": v["standing"].label, "version": v["version"] or ""}




def render_docx(policy: ResolvedPolicy, today: dt.date) -> bytes:
    return PolicyDocument(policy, today).build()
