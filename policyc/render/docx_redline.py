"""The governors' redline as a Word document with genuine tracked changes.

The words are the HTML redline's own comparison (redline.clause_runs: equal, inserted and
deleted text, each side filled in with its own values); here each run becomes a Word
revision, w:ins or w:del (with w:delText), dated the build date and signed by the
proposer, so Word's Review pane steps through them and "Accept all" gives the proposed
text while "Reject all" gives the ratified one. A paragraph added or removed has its
paragraph mark tracked too, so rejecting or accepting leaves no empty paragraph behind.

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

from policyc.history.compare import ClauseChange, Comparison
from policyc.model import ResolvedPolicy
from policyc.render.docx import (INDENT, LIST_INDENT, Numbering, _el, _props, _set_child, _text_run,
                                 draft_header, indent, keep_with_next, new_document, number_paragraph,
                                 page_footer, save)
from policyc.render.redline import _MARKER, TOKEN, Filler, clause_runs, diff_runs, plain_lines, same_words, summary

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
        return _el(MARK[kind], id=self._id(), author=self.author, date=self.date)

    def text(self, paragraph, kind: str, text: str, bold: bool = False) -> None:
        """Text as a plain run or as a tracked revision of `kind` (insert, delete, from, to)."""
        if not text:
            return
        if kind == "equal":
            paragraph._p.append(_text_run(text, bold=bold))
            return
        wrapper = self.mark(kind)
        wrapper.append(_text_run(text, bold=bold, tag="w:delText" if kind == "delete" else "w:t"))
        paragraph._p.append(wrapper)

    def paragraph_mark(self, paragraph, kind: str) -> None:
        """Track the paragraph mark itself: an inserted or deleted paragraph goes whole."""
        if kind == "equal":
            return
        rpr = _el("w:rPr")
        rpr.append(self.mark(kind))
        _set_child(_props(paragraph), rpr)

    def move_range(self, paragraph, side: str, name: str, start: bool) -> None:
        tag = f"w:move{'From' if side == 'from' else 'To'}Range{'Start' if start else 'End'}"
        if start:
            element = _el(tag, id=self._id(), author=self.author, date=self.date, name=name)
            ppr = paragraph._p.find(qn("w:pPr"))
            (ppr.addnext(element) if ppr is not None else paragraph._p.insert(0, element))
            self._range_ids = getattr(self, "_range_ids", {})
            self._range_ids[(name, side)] = element.get(qn("w:id"))
        else:
            paragraph._p.append(_el(tag, id=self._range_ids[(name, side)]))

    def comment(self, paragraph, text: str) -> None:
        """A note beside the paragraph (Word's comments), never part of the text."""
        comment = self.document.comments.add_comment(text=text, author=self.author, initials="")
        comment._comment_elm.set(qn("w:date"), self.date)
        cid = comment.comment_id
        p = paragraph._p
        start = _el("w:commentRangeStart", id=cid)
        ppr = p.find(qn("w:pPr"))
        (ppr.addnext(start) if ppr is not None else p.insert(0, start))
        p.append(_el("w:commentRangeEnd", id=cid))
        ref = _el("w:r")
        rpr = _el("w:rPr")
        rpr.append(_el("w:rStyle", val="CommentReference"))
        ref.append(rpr)
        ref.append(_el("w:commentReference", id=cid))
        p.append(ref)


class RedlineDocument:
    def __init__(self, comparison: Comparison, current: ResolvedPolicy, old_label: str, new_label: str,
                 draft: bool, today: dt.date, author: Optional[str] = None) -> None:
        self.comparison, self.current = comparison, current
        self.old_label, self.new_label, self.draft, self.today = old_label, new_label, draft, today
        self.document = new_document()
        self.numbering = Numbering(self.document)
        self.author = author or proposer(current)
        self.track = Tracked(self.document, self.author, today)
        self.old_fill = Filler(comparison.old, comparison.old)
        self.new_fill = Filler(comparison.new, comparison.new)

    def _for(self, item_id: str) -> str:
        """Sign the next changes with the proposer of this one (as its reason says) and return
        the reason as words for a comment ("" when none is given)."""
        why, by = self.comparison.reason(item_id)
        self.track.author = by or self.author
        if not why:
            return ""
        return f"Why: {why.rstrip('.')}" + (f" (proposed by {by})" if by else "")

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
                p.add_run(f" {why}" + (f" (proposed by {by})" if by else ""))
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

    # --- where everything goes -----------------------------------------------------------

    def _carried(self, policy: ResolvedPolicy) -> set[str]:
        """Clauses that move: those compare() calls moved, and the sub-clauses moving with them."""
        out: set[str] = set()

        def visit(blocks, carried: bool) -> None:
            for block in blocks:
                change = self.comparison.clauses[block.id]
                mine = carried or (change.moved and change.kind != "removed")
                if mine and change.kind != "removed" and change.kind != "added":
                    out.add(block.id)
                visit(block.children, mine)
        for part in policy.parts:
            visit(part.blocks, False)
        return out

    def body(self) -> None:
        comparison = self.comparison
        carried = self._carried(comparison.old) & self._carried(comparison.new)
        moved_parts = {s.id for s in comparison.sections.values() if s.moved and s.kind in ("same", "changed")}
        # Where a clause stood before, when it is no longer there: after the last clause
        # before it that is still there and has not moved, or else at its section's start.
        # A moved section's old text goes after the last section before it that has not moved.
        left_behind: dict[str, list] = {}
        sections_behind: dict[str, list] = {}
        section_anchor = ""
        for part in comparison.old.parts:
            section = comparison.sections[part.id]
            if section.kind == "removed":
                continue
            if part.id in moved_parts:
                sections_behind.setdefault(section_anchor, []).append(section)
                continue
            section_anchor = anchor = part.id
            for block, depth in _walk(part.blocks):
                change = comparison.clauses[block.id]
                if change.kind == "removed" or block.id in carried:
                    left_behind.setdefault(anchor, []).append((change, depth))
                else:
                    anchor = block.id
        for section in sections_behind.get("", []):
            self.moved_section(section, "from")
        for part in comparison.new.parts:
            section = comparison.sections[part.id]
            if part.id in moved_parts:
                self.moved_section(section, "to")
            else:
                self.heading(section)
                for change, depth in left_behind.get(part.id, []):
                    self.clause(change, depth, "old")
                for block, depth in _walk(part.blocks):
                    change = comparison.clauses[block.id]
                    self.clause(change, depth, "to" if block.id in carried else "new")
                    for gone, gone_depth in left_behind.get(block.id, []):
                        self.clause(gone, gone_depth, "old")
            for moved in sections_behind.get(part.id, []):
                self.moved_section(moved, "from")
        for section in comparison.sections.values():
            if section.kind == "removed":
                self.heading(section)
                for block, depth in _walk(section.old.blocks):
                    change = comparison.clauses[block.id]
                    self.clause(change, depth, "old")

    def moved_section(self, section, side: str) -> None:
        """A moved section, whole: its old text where it was ("from"), its new text where it is ("to")."""
        why = self._for(section.id)
        part, fill = (section.old, self.old_fill) if side == "from" else (section.new, self.new_fill)
        heading = self.document.add_paragraph(style="Heading 2")
        keep_with_next(heading)
        self.track.text(heading, side, (f"{part.number}. " if part.number else "") + fill(part.title))
        self.track.paragraph_mark(heading, side)
        paragraphs = [heading]
        for block, depth in _walk(part.blocks):
            number = f"{block.number} " if block.number else ""
            paragraphs += self._paragraphs([(side, number + fill("\n".join(plain_lines(block))))], depth, side)
        name = f"move_section_{section.id.replace('-', '_')}"[:40]
        self.track.move_range(heading, side, name, start=True)
        self.track.move_range(paragraphs[-1], side, name, start=False)
        if side == "from":
            note = f"Section moved to {section.new.number}" if section.new.number else "Section moved"
        else:
            note = f"Section moved (was section {section.old.number})" if section.old.number else "Section moved"
            if section.kind == "changed" or any(self.comparison.clauses[b.id].kind != "same"
                                                for b, _ in _walk(part.blocks)):
                note += "; the moved text is the new wording"
        self.track.comment(heading, ". ".join(filter(None, [note, why])))

    def heading(self, section) -> None:
        why = self._for(section.id) if section.kind != "same" or section.moved else self._for("")
        p = self.document.add_paragraph(style="Heading 2")
        keep_with_next(p)
        old_number = f"{section.old.number}. " if section.old and section.old.number else ""
        new_number = f"{section.new.number}. " if section.new and section.new.number else ""
        if old_number == new_number:
            self.track.text(p, "equal", new_number)
        else:
            self.track.text(p, "delete", old_number)
            self.track.text(p, "insert", new_number)
        if section.kind == "added":
            runs = (("insert", self.new_fill(section.new.title)),)
        elif section.kind == "removed":
            runs = (("delete", self.old_fill(section.old.title)),)
        elif section.kind == "changed":
            runs = diff_runs([section.old.title], [section.new.title], self.old_fill, self.new_fill, values=True)
        else:
            runs = same_words(TOKEN.findall(section.new.title), self.old_fill, self.new_fill, values=True)
        for kind, text in runs:
            self.track.text(p, kind, text)
        self.track.paragraph_mark(p, {"added": "insert", "removed": "delete"}.get(section.kind, "equal"))
        note = {"added": "New section", "changed": "Heading changed",
                "removed": f"Section {section.old.number + ' ' if section.old and section.old.number else ''}removed"
                }.get(section.kind, "")
        if section.moved:
            note = "; ".join(filter(None, [note, f"Section moved (was section {section.old.number})"
                                                  if section.old.number else "Section moved"]))
        note = ". ".join(filter(None, [note, why]))
        if note:
            self.track.comment(p, note)

    def clause(self, change: ClauseChange, depth: int, place: str) -> None:
        """One clause: "new" where it stands now, "old" where it stood (removed or moved
        away), "to" where a moved clause stands now."""
        if place == "old" and change.kind != "removed":
            self.moved_from(change, depth)
            return
        if place == "to":
            self.moved_to(change, depth)
            return
        why = self._for(change.id) if change.affected else self._for("")
        whole = {"added": "insert", "removed": "delete"}.get(change.kind, "equal")
        runs = list(clause_runs(change, self.old_fill, self.new_fill, values=True))
        number = self._number_runs(change)
        paragraphs = self._paragraphs(number + runs, depth, whole)
        notes = {"added": "New paragraph",
                 "removed": f"Removed (was {change.old_number})" if change.old_number else "Removed",
                 "changed": "Wording changed"}.get(change.kind, "")
        note = ". ".join(filter(None, [notes, why]))
        if paragraphs and note:
            self.track.comment(paragraphs[0], note)

    def _number_runs(self, change: ClauseChange) -> list[tuple[str, str]]:
        old = f"{change.old_number} " if change.old_number else ""
        new = f"{change.new_number} " if change.new_number else ""
        if change.kind == "added":
            return [("insert", new)]
        if change.kind == "removed":
            return [("delete", old)]
        return [("equal", new)] if old == new else [("delete", old), ("insert", new)]

    def _moved(self, change: ClauseChange, depth: int, side: str) -> list:
        """The clause's paragraphs on one side of a move ("from": its old text and number,
        "to": its new), inside a move range named for the clause."""
        block, fill, number = ((change.old, self.old_fill, change.old_number) if side == "from"
                               else (change.new, self.new_fill, change.new_number))
        text = fill("\n".join(plain_lines(block)))
        paragraphs = self._paragraphs([(side, (f"{number} " if number else "") + text)], depth, side)
        name = self._move_name(change)
        self.track.move_range(paragraphs[0], side, name, start=True)
        self.track.move_range(paragraphs[-1], side, name, start=False)
        return paragraphs

    def moved_from(self, change: ClauseChange, depth: int) -> None:
        self._for(change.id)
        paragraphs = self._moved(change, depth, "from")
        self.track.comment(paragraphs[0], f"Moved to {change.new_number}" if change.new_number else "Moved away")

    def moved_to(self, change: ClauseChange, depth: int) -> None:
        why = self._for(change.id)
        paragraphs = self._moved(change, depth, "to")
        notes = [f"Moved from {change.old_number}" if change.old_number else "Moved"]
        if change.kind == "changed":
            notes.append("wording changed (the moved text is the new wording)")
        self.track.comment(paragraphs[0], ". ".join(filter(None, ["; ".join(notes), why])))

    def _move_name(self, change: ClauseChange) -> str:
        return f"move_{change.id.replace('-', '_')}"[:40]

    def _paragraphs(self, runs, depth: int, last_mark: str) -> list:
        """Runs split into paragraphs at each line break; a break inside inserted or deleted
        words is an inserted or deleted paragraph mark, so accepting or rejecting joins the lines."""
        paragraphs = [self._new_paragraph(depth)]
        for kind, text in runs:
            lines = text.split("\n")
            for i, line in enumerate(lines):
                if i:
                    self.track.paragraph_mark(paragraphs[-1], kind)
                    paragraphs.append(self._new_paragraph(depth))
                self.track.text(paragraphs[-1], kind, line)
        self.track.paragraph_mark(paragraphs[-1], last_mark)
        for p in paragraphs:
            words = "".join(t.text or "" for t in p._p.iter(qn("w:t"), qn("w:delText")))
            if _MARKER.match(words):  # a list item: hang its marker
                indent(p, INDENT * (depth + 1) + LIST_INDENT, LIST_INDENT)
        return paragraphs

    def _new_paragraph(self, depth: int):
        p = self.document.add_paragraph()
        indent(p, INDENT * depth)
        return p


def _walk(blocks, depth: int = 0):
    for block in blocks:
        yield block, depth
        yield from _walk(block.children, depth + 1)


def render_redline_docx(comparison: Comparison, current: ResolvedPolicy, old_label: str, new_label: str,
                        draft: bool, today: dt.date, author: Optional[str] = None) -> bytes:
    return RedlineDocument(comparison, current, old_label, new_label, draft, today, author).build()
