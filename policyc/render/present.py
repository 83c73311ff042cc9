"""Turn a numbered policy into what the templates show: filled-in text, rows and labels.

Templates stay thin: every decision about words is made here, in plain Python.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Optional

from markupsafe import Markup, escape

from policyc.compile.number import anchors, reference_text
from policyc.history.status import Standing, standing
from policyc.text.dates import format_date
from policyc.model import ResolvedPolicy, Signatory
from policyc.text import prose
from policyc.text.placeholders import fill
from policyc.text.review_dates import describe_cycle


@dataclass(frozen=True)
class Row:
    label: str
    value: str
    after: str = ""  # words after the value: "Signed ____ Headteacher"
    blank: bool = False  # a line left blank to sign or date by hand


@dataclass(frozen=True)
class ContentsEntry:
    anchor: str
    number: str
    title: str


class Words:
    """Fills placeholders and cross-references for one policy, then renders Markdown."""

    def __init__(self, policy: ResolvedPolicy, link_siblings: bool = True) -> None:
        self.values = policy.placeholder_map()
        self.targets = anchors(policy)
        self.siblings = {ref: (words, page) for ref, words, page in policy.policy_links}
        self.link_siblings = link_siblings  # a PDF has no sibling pages beside it to link to
        # On a web page a table in a clause scrolls in a labelled region of its own, so a
        # wide one never pushes the page sideways (WCAG 1.4.10); paper has no such region.
        self.scroll_tables = link_siblings
        self.tables = 0  # tables on the page so far: each region's label is unique

    def _ref(self, item_id: str) -> str:
        if item_id not in self.targets:
            words, page = self._sibling(item_id)
            label = prose.escape_label(words)
            return f"[{label}]({page})" if self.link_siblings and page else label
        number, title = self.targets[item_id]
        return f"[{prose.escape_label(reference_text(number, title))}](#{item_id})"

    def _sibling(self, ref: str) -> tuple[str, str]:
        """Another policy of the school; an archived text whose target has gone keeps its words."""
        return self.siblings.get(ref, (ref.partition("#")[0].replace("-", " ").capitalize(), ""))

    def _plain_ref(self, item_id: str) -> str:
        if item_id in self.targets:
            return reference_text(*self.targets[item_id])
        return self._sibling(item_id)[0]

    def block(self, text: str, where: str = "") -> Markup:
        """The Markdown as HTML; `where` (a paragraph number, a clause title) names its tables' regions."""
        html = prose.block(self.markdown(text))
        if self.scroll_tables and prose.TABLE_START in html:
            html = prose.scrolling_tables(html, self._table_label, where)
        return html

    def _table_label(self, where: str) -> str:
        self.tables += 1
        return f"Table {self.tables}" + (f": {where}" if where else "")

    def numbered(self, text: str, number: str) -> Markup:
        """The text with its paragraph number inside the first paragraph, so the two read as one."""
        html = str(self.block(text, f"paragraph {number}")) if text else "<p></p>\n"
        mark = f'<span class="num">{escape(number)}</span> '
        if html.startswith("<p>"):
            return Markup(f"<p>{mark}{html[3:]}")
        return Markup(f'<p class="num-only">{mark}</p>\n{html}')

    def markdown(self, text: str) -> str:
        """The Markdown with placeholders and cross-references filled, for a writer that reads
        Markdown itself (Word): a cross-reference is a link to "#clause-id"."""
        return fill(text, self.values, self._ref)

    def inline(self, text: str) -> Markup:
        return prose.inline(fill(text, self.values, self._ref))

    def plain(self, text: str, extra: Optional[dict] = None) -> str:
        values = {**self.values, **(extra or {})}
        return fill(text, values, self._plain_ref, markdown=False)


def ratification_rows(policy: ResolvedPolicy, words: Words) -> list[Row]:
    r = policy.ratification
    rows = []
    for row in policy.ratification_block:
        if row.value == "signatory":
            # Until someone signs, the expected signatories' rows stand blank, ready to sign.
            people = r.signatories or tuple(Signatory("", words.plain(role)) for role in row.roles) or (Signatory("", ""),)
            for person in people:
                extra = {"signatory.role": person.role, "signatory.name": person.name}
                rows.append(Row(words.plain(row.label, extra).strip(), person.name or _not_known("signatory", r.date)))
            continue
        after = words.plain(row.after).strip()
        if row.value == "blank":
            rows.append(Row(words.plain(row.label).strip(), "", after, blank=True))
            continue
        dates = {"date": r.date, "next_review": r.next_review, "updated": r.updated}
        if row.value in dates:
            value = r.shown(row.value) or format_date(dates[row.value], row.format)
        else:
            value = {
                "version": r.version,
                "review_cycle": describe_cycle(r.review_cycle) if r.review_cycle else "",
                "issued": r.issued or r.shown("date") or format_date(r.date, "month"),
                "body": r.body,
                "minute": r.minute,
                "status": r.status.capitalize(),
                "none": "",
            }[row.value]
        # A label alone says all it means to say: nothing is missing beside it.
        missing = "" if row.value == "none" else _not_known(row.value, r.date)
        rows.append(Row(words.plain(row.label).strip(), value or missing, after))
    return rows


def _not_known(value: str, ratified_on) -> str:
    """What an empty cell would have left unsaid: a screen reader reads a blank cell as nothing."""
    if not ratified_on:
        return {"date": "Not yet ratified", "next_review": "Set when ratified", "signatory": "Not yet signed",
                "version": "Not yet numbered"}.get(value, "Not yet ratified")
    return "Not signed" if value == "signatory" else "Not recorded"


def contents(policy: ResolvedPolicy, words: Words) -> list[ContentsEntry]:
    entries = []
    for part in policy.parts:
        entries.append(ContentsEntry(part.id, part.number, words.plain(part.contents_title or part.title)))
    return entries


def change_cells(policy: ResolvedPolicy) -> list[list[tuple[str, str]]]:
    """The table of changes as (field, words) cells: a summary is Markdown, the rest plain
    text. The HTML and the Word writer each render the same cells."""
    rows = []
    for entry in policy.history:
        cells = []
        for column in policy.change_columns:
            if column.field == "date":
                cells.append(("date", format_date(entry.date, column.format) if entry.date else "Draft"))
            else:
                cells.append((column.field, getattr(entry, column.field)))
        rows.append(cells)
    return rows


def change_rows(policy: ResolvedPolicy, words: Words) -> list[list[Markup]]:
    return [[words.inline(text) if name == "summary" else escape(text) for name, text in cells]
            for cells in change_cells(policy)]


def last_updated(policy: ResolvedPolicy) -> str:
    """The latest of ratified, updated and the change log's dates; a month or year as written."""
    r = policy.ratification
    own = [(r.date, r.shown("date")), (r.updated, r.shown("updated"))]
    dates = [(d, shown) for d, shown in own + [(e.date, "") for e in policy.history] if d]
    if not dates:
        return ""
    day, shown = max(dates, key=lambda pair: (pair[0], bool(pair[1])))
    return shown or format_date(day)


def view(policy: ResolvedPolicy, today: dt.date, generator: str, for_web: bool = True) -> dict:
    """Everything a template needs to render one policy."""
    words = Words(policy, link_siblings=for_web)
    state: Standing = standing(policy.ratification, today, policy.in_force, policy.superseded_by)
    return {
        "policy": policy,
        "words": words,
        "title": policy.title,
        "school_name": policy.school_name,
        "trust_name": policy.trust_name,
        "standing": state,
        "version": policy.ratification.version,
        "rows": ratification_rows(policy, words),
        "contents": contents(policy, words) if policy.contents.show else [],
        "change_rows": change_rows(policy, words),
        "generator": generator,
        "review_date": policy.ratification.shown("next_review") or format_date(policy.ratification.next_review),
        "layout": policy.layout,
        "last_updated": last_updated(policy),
        "changes_anchor": next((p.id for p in policy.parts if p.kind == "changes"), ""),
        "control": control_block(policy, state),
        "furniture": furniture(policy, state),
    }


def print_status(policy: ResolvedPolicy, state: Standing) -> str:
    """What every printed page says of the text's standing: a paper copy found later must say
    whether it is the policy in force. A version in force is "In force" even when its review is
    overdue (it stays in force until replaced); `policyc as-of` prints its own period instead."""
    if policy.period:
        return policy.period
    if policy.superseded_by:
        return f"SUPERSEDED by version {policy.superseded_by}"
    return "In force" if state.is_final else "DRAFT"


def furniture(policy: ResolvedPolicy, state: Standing) -> list[str]:
    """The printed footer's lines: title, school, version and standing (the page number is the
    stylesheet's), then what the house style adds: the owner, and "Uncontrolled when printed",
    saying where the current version is only of a version that has been in force (a draft's
    page may not exist yet)."""
    version = policy.ratification.version
    parts = [policy.title, policy.school_name, f"Version {version}" if version else "", print_status(policy, state)]
    where = policy.published_at if state.is_final and not policy.period else ""
    return [" · ".join(p for p in parts if p)] + house_lines(policy, where)


def house_lines(policy: ResolvedPolicy, where: str = "") -> list[str]:
    """The house style's line under the footer of every printed page (none when it adds nothing)."""
    notes = [f"Policy owner: {policy.owner}"] if policy.owner else []
    if policy.uncontrolled_note:
        notes.append("Uncontrolled when printed" + (f": the current version is at {where}" if where else ""))
    return [" · ".join(notes)] if notes else []


def control_block(policy: ResolvedPolicy, state: Standing) -> list[tuple[str, str]]:
    """The facts page 1 opens with when the full ratification record is at the end: the
    school and trust, version, status, who approved it and when, the next review. Only what
    the record says: a fact it does not give is left out, never filled in."""
    r = policy.ratification
    setting = ", ".join(x for x in (policy.school_name, policy.trust_name) if x)
    when = r.shown("date") or format_date(r.date)
    verb = {"ratified": "Ratified", "adopted": "Adopted", "approved": "Approved"}.get(r.status, "Approved")
    approved = ""
    if r.status in ("ratified", "adopted", "approved") and (r.body or when):
        on = (f" in {when}" if r.shown("date") else f" on {when}") if when else ""
        approved = ((f"by the {r.body}" if r.body else "") + on).strip()
    review = r.shown("next_review") or format_date(r.next_review)
    rows = [("School" if policy.school_name else "Trust", setting), ("Version", r.version),
            ("Status", state.label), (verb, approved), ("Next review", review)]
    return [(label, value) for label, value in rows if value]
