"""Markdown (a clause body's blocks) into Word paragraphs, lists and tables."""

from __future__ import annotations

from typing import Optional

from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml.ns import qn

from policyc.render.word.ooxml import (
    LIST_INDENT,
    NUMBER,
    Bookmarks,
    Numbering,
    new_element,
    embolden,
    field_runs,
    fit_table,
    indent,
    keep_with_next,
    number_paragraph,
    repeat_header,
    text_run,
    words_of,
)
from policyc.render.word.styles import TEXT_WIDTH, column_widths
from policyc.text import prose


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
                run = text_run(text, bool(bold), bool(italic), kind == "code_inline", link is not None)
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
            return new_element("w:hyperlink", anchor=self.bookmarks.name(href[1:]), history=1)
        if href.startswith(("https://", "mailto:")):
            rel = paragraph.part.relate_to(href, RT.HYPERLINK, is_external=True)
            element = new_element("w:hyperlink", history=1)
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
                    embolden(paragraph)
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
                paragraph._p.append(text_run(token.content.rstrip("\n"), code=True))
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
        words = [[words_of(r[c][1]) if c < len(r) else "" for r in rows] for c in range(width)]
        fit_table(table, column_widths(words, TEXT_WIDTH - left))
        for r, cells in enumerate(rows):
            for c, (header, children) in enumerate(cells):
                paragraph = table.cell(r, c).paragraphs[0]
                self.inline(paragraph, children)
                if header:
                    embolden(paragraph)
            if r == 0 and any(h for h, _ in cells):
                repeat_header(table.rows[0])
        if left:  # w:tblInd goes before the borders, layout, margins and look (the schema's order)
            table_pr = table._tbl.tblPr
            later = [c for c in table_pr if c.tag in {qn(t) for t in (
                "w:tblBorders", "w:shd", "w:tblLayout", "w:tblCellMar", "w:tblLook", "w:tblCaption")}]
            ind = new_element("w:tblInd", w=left, type="dxa")
            (later[0].addprevious(ind) if later else table_pr.append(ind))
        if container is None:
            self.paragraph()  # Word needs a paragraph between two tables; it also gives air


