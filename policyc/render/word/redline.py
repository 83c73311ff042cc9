"""The governors' redline as a Word document with genuine tracked changes.

A writer over the change model (render/changes.py), as the HTML redline is: the same
places, the same notes, the same cleaned-up comparison. Each changed run becomes a Word
revision, w:ins or w:del (with w:delText), dated the build date and signed by the
proposer, so Word's Review pane steps through them and "Accept all" gives the proposed
text while "Reject all" gives the ratified one. A paragraph added or removed has its
paragraph mark tracked too, so rejecting or accepting leaves no empty paragraph behind; a
table row added or removed is a tracked row. A changed value beside a change (a
renumbered cross-reference, a list marker) joins that change, so each change is still one
deletion then one insertion.

A moved clause (and the sub-clauses that move with it) is a tracked move: w:moveFrom at
its old place, w:moveTo at its new one, joined by the names of their move ranges. A
renumbered paragraph's number is a deletion and an insertion. What the HTML says in a
note ("New paragraph", "Moved from 2.3", "Wording changed") is a Word comment, so it is
never part of either text.
"""

from __future__ import annotations

import datetime as dt
from typing import Optional

from docx.oxml.ns import qn

from policyc.history.compare import Comparison
from policyc.model import ResolvedPolicy
from policyc.render.changes import (
    ClauseEntry,
    Piece,
    Redline,
    Run,
    SectionEntry,
    build_redline,
)
from policyc.render.redline import summary
from policyc.render.word.ooxml import (
    INDENT,
    LIST_INDENT,
    Numbering,
    draft_header,
    new_element,
    house,
    indent,
    keep_with_next,
    new_document,
    number_paragraph,
    page_footer,
    paragraph_props,
    save,
    set_child,
    text_run,
)
from policyc.render.word.styles import ACCENT
from policyc.text import prose

MARK = {"insert": "w:ins", "delete": "w:del", "from": "w:moveFrom", "to": "w:moveTo"}


def proposer(policy: ResolvedPolicy) -> str:
    """Whose changes they are where a change's own reason names no one (change: {by: ...}):
    the owner of the change awaiting ratification, else the approving body, else policyc."""
    pending = [e.owner for e in policy.history if e.date is None and e.owner]
    return pending[-1] if pending else (policy.body or "policyc")


class Tracked:
    """Writes runs and paragraphs as tracked changes by one author on one date."""

    def __init__(self, document, author: str, when: dt.date) -> None:
        self.document, self.author = document, author
        self.date = f"{when.isoformat()}T00:00:00Z"
        self.next_id = 1
        self.moves = 0

    def _id(self) -> int:
        self.next_id += 1
        return self.next_id

    def mark(self, kind: str):
        return new_element(MARK[kind], id=self._id(), author=self.author, date=self.date)

    def text(self, paragraph, kind: str, text: str, bold: bool = False, run: Optional[Run] = None) -> None:
        """Text as a plain run or as a tracked revision of `kind` (insert, delete, from, to),
        in the look of `run` (bold, italic, code, link)."""
        if not text:
            return
        look = dict(bold=bold or bool(run and run.strong), italic=bool(run and run.em),
                    code=bool(run and run.code), link=bool(run and run.link))
        if kind == "equal":
            paragraph._p.append(text_run(text, **look))
            return
        wrapper = self.mark(kind)
        wrapper.append(text_run(text, **look, tag="w:delText" if kind == "delete" else "w:t"))
        paragraph._p.append(wrapper)

    def row_mark(self, row, kind: str) -> None:
        """A table row inserted or deleted as a whole."""
        if kind in ("insert", "delete"):
            row._tr.get_or_add_trPr().append(self.mark(kind))

    def paragraph_mark(self, paragraph, kind: str) -> None:
        """Track the paragraph mark itself: an inserted or deleted paragraph goes whole."""
        if kind == "equal":
            return
        rpr = new_element("w:rPr")
        rpr.append(self.mark(kind))
        set_child(paragraph_props(paragraph), rpr)

    def move_range(self, paragraph, side: str, name: str, start: bool) -> None:
        tag = f"w:move{'From' if side == 'from' else 'To'}Range{'Start' if start else 'End'}"
        if start:
            element = new_element(tag, id=self._id(), author=self.author, date=self.date, name=name)
            ppr = paragraph._p.find(qn("w:pPr"))
            (ppr.addnext(element) if ppr is not None else paragraph._p.insert(0, element))
            self._range_ids = getattr(self, "_range_ids", {})
            self._range_ids[(name, side)] = element.get(qn("w:id"))
        else:
            paragraph._p.append(new_element(tag, id=self._range_ids[(name, side)]))

    def comment(self, paragraph, text: str) -> None:
        """A note beside the paragraph (Word's comments), never part of the text."""
        comment = self.document.comments.add_comment(text=text, author=self.author, initials="")
        comment._comment_elm.set(qn("w:date"), self.date)
        cid = comment.comment_id
        p = paragraph._p
        start = new_element("w:commentRangeStart", id=cid)
        ppr = p.find(qn("w:pPr"))
        (ppr.addnext(start) if ppr is not None else p.insert(0, start))
        p.append(new_element("w:commentRangeEnd", id=cid))
        ref = new_element("w:r")
        rpr = new_element("w:rPr")
        rpr.append(new_element("w:rStyle", val="CommentReference"))
        ref.append(rpr)
        ref.append(new_element("w:commentReference", id=cid))
        p.append(ref)


def _number(old: str, new: str) -> tuple[Run, ...]:
    """A clause's or item's number as runs: the same, renumbered (the old kept as `was`), new or gone."""
    old, new = (f"{old} " if old else ""), (f"{new} " if new else "")
    if old == new:
        return (Run("same", new),) if new else ()
    if not old:
        return (Run("inserted", new),)
    if not new:
        return (Run("deleted", old),)
    return (Run("same", new, was=old),)


def _plain(run: Run) -> bool:
    return run.kind == "same" and not run.was


def changes(runs: tuple[Run, ...]) -> list[tuple[str, str, Run]]:
    """Runs as (kind, text, look) for Word: a stretch of changes, changed values among them
    and the spaces or punctuation between them, becomes its old words deleted, then its new
    words inserted, so no deletion and insertion alternate inside one change."""
    out: list[tuple[str, str, Run]] = []
    k = 0
    while k < len(runs):
        if _plain(runs[k]):
            out.append(("equal", runs[k].text, runs[k]))
            k += 1
            continue
        end = k
        stretch = [runs[k]]
        j = k + 1
        while j < len(runs):
            if not _plain(runs[j]):
                stretch += runs[end + 1:j + 1]
                end = j
            elif any(ch.isalnum() for ch in runs[j].text):
                break
            j += 1
        out += [("delete", r.on("old"), r) for r in stretch if r.on("old")]
        out += [("insert", r.on("new"), r) for r in stretch if r.on("new")]
        k = end + 1
    return out


class RedlineDocument:
    def __init__(self, redline: Redline, current: ResolvedPolicy, old_label: str, new_label: str,
                 draft: bool, today: dt.date, author: Optional[str] = None) -> None:
        self.redline, self.comparison, self.current = redline, redline.comparison, current
        self.old_label, self.new_label, self.draft, self.today = old_label, new_label, draft, today
        self.document = new_document()
        self.numbering = Numbering(self.document)
        house(self.document, self.numbering, current.brand.accent or ACCENT)
        self.author = author or proposer(current)
        self.track = Tracked(self.document, self.author, today)

    def _for(self, item_id: str, why: tuple[str, str]) -> str:
        """Sign the next changes with the proposer of this one (as its reason says) and return
        the reason as words for a comment ("" when none is given)."""
        text, by = why
        self.track.author = by or self.author
        if not text:
            return ""
        return f"Why: {prose.plain(text).rstrip('.')}" + (f" (proposed by {by})" if by else "")

    def build(self) -> bytes:
        doc, current = self.document, self.current
        if self.draft:
            draft_header(doc)
        doc.add_paragraph(current.school_name, style="Subtitle")
        doc.add_paragraph(f"Changes to the {current.title}", style="Title")
        doc.add_paragraph(f"From {self.old_label} to {self.new_label}", style="Subtitle")
        if self.draft:
            p = doc.add_paragraph()
            p.add_run(f"{self.new_label[:1].upper()}{self.new_label[1:]} has not been ratified. This comparison "
                      f"is for review before the {current.body} decides.").bold = True
        doc.add_paragraph("Summary", style="Heading 1")
        if not self.comparison.has_changes and not self.comparison.values:
            doc.add_paragraph("There are no changes: the two versions have the same words.")
        bullets = self.numbering.new("bullet")
        for line in summary(self.comparison, self.old_label, self.new_label, values_marked=True):
            p = doc.add_paragraph(line)
            number_paragraph(p, bullets, 0)
            indent(p, LIST_INDENT, LIST_INDENT)
        reasons = self.comparison.reasons()
        if reasons:
            doc.add_paragraph("Why these changes are proposed", style="Heading 2")
            listed = self.numbering.new("bullet")
            for what, why, by in reasons:
                p = doc.add_paragraph()
                number_paragraph(p, listed, 0)
                indent(p, LIST_INDENT, LIST_INDENT)
                p.add_run(f"{what}:").bold = True
                p.add_run(f" {prose.plain(why)}" + (f" (proposed by {by})" if by else ""))
        doc.add_paragraph(
            f"How changes are shown: every change is a tracked change, dated {self.today.day} "
            f"{self.today:%B %Y}, in the name of whoever proposed it where the sources say, otherwise "
            f"{self.author}; Word's Review pane steps through them. Accept all "
            f"of them to read {self.new_label}; reject all of them to read {self.old_label}. A moved paragraph "
            f"or section is a tracked move, a renumbered one a changed number; a changed value (a "
            f"cross-reference renumbered, a new name) is a change too. Notes on new, removed and moved "
            f"paragraphs are comments.")
        doc.add_paragraph("The policy with changes marked", style="Heading 1")
        self.body()
        page_footer(doc, f"Changes to the {current.title} · {current.school_name} · "
                         f"from {self.old_label} to {self.new_label}")
        properties = {"title": f"Changes to the {current.title}", "author": current.school_name or current.trust_name,
                      "subject": f"What changed in {current.title} of {current.school_name} between "
                                 f"{self.old_label} and {self.new_label}",
                      "keywords": f"redline, tracked changes, {current.policy_id}", "category": "Policy changes",
                      "content_status": "Draft" if self.draft else "Final", "version": ""}
        return save(doc, properties, self.today)

    # --- the policy with changes marked: the model's sections in order ---------------------

    def body(self) -> None:
        for section in self.redline.sections:
            if section.place in ("moved-from", "moved-to"):
                self.moved_section(section, "from" if section.place == "moved-from" else "to")
                continue
            self.heading(section)
            for entry in section.clauses:
                self.clause(entry)

    def _comment(self, paragraph, note: str, why: str) -> None:
        text = ". ".join(filter(None, [note, why]))
        if paragraph is not None and text:
            self.track.comment(paragraph, text)

    def heading(self, section: SectionEntry) -> None:
        why = self._for(section.id, section.why)
        p = self.document.add_paragraph(style="Heading 2")
        keep_with_next(p)
        number = _number(f"{section.old_number}." if section.old_number else "",
                         f"{section.number}." if section.number and section.place != "removed" else "")
        if section.place == "removed":
            number = _number(f"{section.old_number}." if section.old_number else "", "")
        self.runs(p, number + section.title)
        kind = section.change.kind
        self.track.paragraph_mark(p, "delete" if section.place == "removed" else "insert" if kind == "added" else "equal")
        self._comment(p, section.note, why)

    def clause(self, entry: ClauseEntry) -> None:
        if entry.place in ("moved-from", "moved-to"):
            self.moved(entry, "from" if entry.place == "moved-from" else "to")
            return
        why = self._for(entry.id, entry.why)
        number = _number(entry.old_number, entry.number if entry.place != "removed" else "")
        if entry.change.kind == "added":
            number = _number("", entry.number)
        paragraphs = self.pieces(entry.pieces, entry.depth, number)
        self._comment(paragraphs[0] if paragraphs else None, entry.note, why)

    def moved(self, entry: ClauseEntry, side: str) -> list:
        """A clause on one side of a move ("from": its old words and number, "to": its new),
        inside a move range named for the clause."""
        why = self._for(entry.id, entry.why)
        shown = entry.old_number if side == "from" else entry.number
        number = (Run("same", f"{shown} "),) if shown else ()
        paragraphs = self.pieces(entry.pieces, entry.depth, number, side)
        name = f"move_{entry.id.replace('-', '_')}"[:40]
        self.track.move_range(paragraphs[0], side, name, start=True)
        self.track.move_range(paragraphs[-1], side, name, start=False)
        self._comment(paragraphs[0], entry.note, why if side == "to" else "")
        return paragraphs

    def moved_section(self, section: SectionEntry, side: str) -> None:
        """A moved section, whole: its old words where it was ("from"), its new ones where it is ("to")."""
        why = self._for(section.id, section.why)
        heading = self.document.add_paragraph(style="Heading 2")
        keep_with_next(heading)
        on = "old" if side == "from" else "new"
        number = f"{section.number}. " if section.number else ""
        self.track.text(heading, side, number + "".join(r.on(on) for r in section.title))
        self.track.paragraph_mark(heading, side)
        paragraphs = [heading]
        for entry in section.clauses:
            if side == "to" and entry.place in ("removed", "moved-from"):
                continue  # their words are in the section's old place
            number = entry.number if side == "to" else entry.old_number
            paragraphs += self.pieces(entry.pieces, entry.depth, (Run("same", f"{number} "),) if number else (),
                                      side)
        name = f"move_section_{section.id.replace('-', '_')}"[:40]
        self.track.move_range(heading, side, name, start=True)
        self.track.move_range(paragraphs[-1], side, name, start=False)
        note = section.note
        if side == "to" and any(e.change.kind != "same" for e in section.clauses) or section.change.kind == "changed":
            note += "; the moved text is the new wording" if side == "to" else ""
        self._comment(heading, note, why if side == "to" else "")

    # --- pieces as paragraphs ----------------------------------------------------------------

    def runs(self, paragraph, runs, side: str = "") -> None:
        """Runs into a paragraph: tracked as they are, or all one side of a move ("from", "to")."""
        if side:
            on = "old" if side == "from" else "new"
            for run in runs:
                self.track.text(paragraph, side, run.on(on), run=run)
            return
        for kind, text, run in changes(tuple(runs)):
            self.track.text(paragraph, kind, text, run=run)

    def pieces(self, pieces: tuple[Piece, ...], depth: int, number: tuple[Run, ...], side: str = "") -> list:
        """Each piece one paragraph (a table, a table), the number at the start of the first;
        a piece inserted or deleted whole has its paragraph mark tracked too."""
        paragraphs = []
        for i, piece in enumerate(pieces):
            lead = number if i == 0 else ()
            whole = {"inserted": "insert", "deleted": "delete"}.get(piece.state, "equal")
            if side:
                whole = side
            if piece.kind == "table":
                if lead:  # a clause opening with a table: its number on a line of its own
                    p = self._paragraph(depth)
                    self.runs(p, lead, side)
                    paragraphs.append(p)
                paragraphs.append(self.table(piece, depth, side))
                continue
            p = self._paragraph(depth)
            marker = ()
            if piece.kind == "item":
                left = INDENT * (depth + 1 + piece.level)
                indent(p, left + LIST_INDENT if piece.marker else left, LIST_INDENT if piece.marker else 0)
                if piece.marker:
                    marker = ((Run(piece.state, f"{piece.marker} "),) if piece.state in ("inserted", "deleted")
                              else _number(piece.was_marker or piece.marker, piece.marker))
            runs = tuple(lead) + marker + piece.runs
            if piece.kind in ("title", "heading"):
                runs = tuple(r if r.strong else Run(r.kind, r.text, r.was, True, r.em, r.code, r.link) for r in runs)
            self.runs(p, runs, side)
            self.track.paragraph_mark(p, whole)
            paragraphs.append(p)
        if not paragraphs:  # a clause with no words of its own (only sub-clauses): its number
            p = self._paragraph(depth)
            self.runs(p, number, side)
            paragraphs.append(p)
        return paragraphs

    def table(self, piece: Piece, depth: int, side: str):
        rows = piece.rows
        width = max(len(r.cells) for r in rows)
        table = self.document.add_table(rows=len(rows), cols=width)
        table.style = "Table Grid"
        for r, row in enumerate(rows):
            state = {"from": "deleted", "to": "inserted"}.get(side, row.state)
            self.track.row_mark(table.rows[r], {"inserted": "insert", "deleted": "delete"}.get(state, ""))
            for c, cell in enumerate(row.cells):
                paragraph = table.cell(r, c).paragraphs[0]
                self.runs(paragraph, tuple(Run(x.kind, x.text, x.was, x.strong or row.header, x.em, x.code, x.link)
                                           for x in cell), side)
        after = self._paragraph(depth)  # Word needs a paragraph between two tables
        self.track.paragraph_mark(after, {"inserted": "insert", "deleted": "delete"}.get(piece.state, side or "equal"))
        return after

    def _paragraph(self, depth: int):
        p = self.document.add_paragraph()
        indent(p, INDENT * depth)
        return p


def render_redline_docx(comparison: Comparison, current: ResolvedPolicy, old_label: str, new_label: str,
                        draft: bool, today: dt.date, author: Optional[str] = None,
                        redline: Optional[Redline] = None) -> bytes:
    return RedlineDocument(redline or build_redline(comparison), current, old_label, new_label, draft, today,
                           author).build()
