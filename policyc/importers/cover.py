"""The cover page read as facts: title, school, approving body, and the ratification rows as written."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Optional

from policyc.importers.blocks import Block
from policyc.importers.dates import find_cycle, find_date, month_only

BODIES = re.compile(r"((?:[A-Z][\w'&]*\s)*?(?:Local |Full )?(?:Governing Body|Management Committee|Board of Trustees|"
                    r"Trust Board|Board of Directors|Interim Executive Board))")
_SPLIT = (re.compile(r"^(?P<label>.*?\S)\s*\.{2,}\s*(?P<value>.*?)[\s.]*$"),
          re.compile(r"^(?P<label>(?:Signed|Signature|Date|Version|Review(?:ed)?)(?![a-z])[^:\d]*?):?\s*(?P<value>\d.*?|)[\s.]*$"),
          re.compile(r"^(?P<label>[^:]{3,120}):\s*(?P<value>.*?)\s*$"))
_REVIEW_PHRASE = re.compile(r"^(?P<label>(?:To be )?reviewed?(?: on)?)\s+(?P<value>(?:annually|biennially|triennially|every .+))$", re.I)


@dataclass
class Row:
    """One line of the ratification block as the document wrote it."""

    label: str
    value: str  # the ratification_block value: date, next_review, version, signatory, ...
    text: str  # what was written in the value's place
    format: Optional[str] = None
    role: Optional[str] = None


@dataclass
class Cover:
    title: Optional[str] = None
    subtitle: Optional[str] = None
    rows: list[Row] = field(default_factory=list)
    preamble: list[str] = field(default_factory=list)
    issued: Optional[str] = None
    draft: bool = False
    body: Optional[str] = None
    comments: list[str] = field(default_factory=list)  # facts seen but not certain


def read_cover(blocks: list[Block]) -> Cover:
    """Everything before the policy's first section: label-value rows, the title, a values statement."""
    cover = Cover()
    for block in blocks:
        text = block.text.strip()
        if block.kind == "row":
            row = _row(block.cells[0].strip(), " ".join(c for c in block.cells[1:] if c))
        else:
            row = _split(text)
        if row:
            cover.rows.append(row)
        elif text.upper() == "DRAFT" or re.match(r"^status:\s*draft\b", text, re.I):
            cover.draft = True
        elif (issued := month_only(text)) and not cover.issued:
            cover.issued = issued
        elif re.search(r"\bpolicy\b", text, re.I) and len(text) < 120 and not text.endswith("."):
            if cover.title is None:
                cover.title = text
            elif cover.subtitle is None:
                cover.subtitle = text
            else:
                cover.preamble.append(text)
        else:
            cover.preamble.append(text)
    cover.body = next((r.text for r in cover.rows if r.value == "body" and r.text), None) or next(
        (m.group(1) for r in cover.rows if (m := BODIES.search(r.label))), None)
    _signatory_roles(cover)
    return cover


def looks_like_cover_fact(text: str) -> bool:
    """'Adopted by the Governing Body on: 12 September 2025': a ratification row, not policy text."""
    return _split(text) is not None


def _split(text: str) -> Optional[Row]:
    if m := _REVIEW_PHRASE.match(text):
        return _row(m.group("label"), m.group("value"))
    for colon, pattern in zip((False, False, True), _SPLIT):
        m = pattern.match(text)
        if m and _is_label(m.group("label")):
            label = m.group("label")
            if colon or (text[m.end("label"):].lstrip().startswith(":") and not label.endswith(":")):
                label += ":"
            return _row(label, m.group("value"))
    return None


def _is_label(label: str) -> bool:
    return bool(re.search(r"\b(adopted|approved|ratified|review|reviewed|signed|signature|date|version|"
                          r"minute|issued|agreed)\b", label, re.I)) and len(label.split()) <= 25


def _row(label: str, value: str) -> Row:
    """What fact a label-value pair records, judged from the label's words and the value's shape."""
    label = re.sub(r"\s+", " ", label).strip()
    value = re.sub(r"</?(i|b|em|strong)>", "", value).strip().rstrip(".").strip()
    if re.fullmatch(r"(not yet\b.*|tbc|to be confirmed|n/?a|[-–_ ]+)", value, re.I):
        value = ""  # a blank waiting for a date or a signature
    low = label.lower().replace("{{ signatory.role }}", "")
    found = find_date(value)
    fmt = found[1] if found else None
    if "version" in low:
        return Row(label, "version", value)
    if "sign" in low:
        return Row(label, "signatory", value)
    if "review" in low:
        if found:
            return Row(label, "next_review", value, fmt)
        if month_only(value):
            return Row(label, "next_review", value, "month")
        return Row(label, "review_cycle", value)
    if re.search(r"adopted|approved|ratified|agreed", low):
        if value and not found and not month_only(value):
            return Row(label, "body", value)  # 'Approved by: Board of Trustees'
        return Row(label, "date", value, fmt or ("month" if month_only(value) else "long"))
    if "minute" in low:
        return Row(label, "minute", value)
    if month_only(value) or (not found and not value):
        return Row(label, "issued", value)
    return Row(label, "date", value, fmt or "long")


def _signatory_roles(cover: Cover) -> None:
    """'Signed by the Chair of Governors' names the role; the row's label then takes the role's place."""
    for row in cover.rows:
        if row.value != "signatory":
            continue
        m = re.search(r"sign(?:ed|ature)\s+(?:by\s+)?(?:of\s+)?(?:the\s+)?(.+?)\s*:?\s*$", row.label, re.I)
        if m and len(m.group(1).split()) <= 8:
            row.role = m.group(1)
            row.label = row.label[:m.start(1)] + "{{ signatory.role }}" + row.label[m.end(1):]


def ratification(cover: Cover) -> dict:
    """The school's ratification record from the cover, as far as the cover makes it clear."""
    record: dict = {}
    dates = [find_date(r.text) for r in cover.rows if r.value == "date"]
    dates = [d[0] for d in dates if d]
    signed = [r for r in cover.rows if r.value == "signatory" and r.text]
    record["status"] = "ratified" if dates and not cover.draft else "draft"
    if dates:
        record["date"] = dates[0].isoformat()
        if len(set(dates)) > 1:
            cover.comments.append(f"the cover gives different dates: {', '.join(d.isoformat() for d in dates)}")
    for row in cover.rows:
        if row.value == "version" and row.text:
            record["version"] = re.sub(r"^(version|v\.)\s*", "", row.text, flags=re.I) or row.text
        elif row.value == "next_review" and (found := find_date(row.text)):
            record["next_review"] = found[0].isoformat()
        elif row.value == "issued" and row.text:
            record["issued"] = row.text
        elif row.value == "review_cycle" and (cycle := find_cycle(row.text)):
            record["review_cycle"] = cycle
    if record["status"] == "ratified" and not signed:
        record["status"] = "approved"
        cover.comments.append("the cover dates the approval but names no signatory: recorded as approved; "
                              "add signatories and set status: ratified")
    for row in signed:  # 'Sam Okoro, Chair of Trustees': a name and a role in one value
        if not row.role and (m := re.match(r"^([^,]+),\s*(.+)$", row.text)):
            row.text, row.role = m.group(1).strip(), m.group(2).strip()
    if signed:
        record["signatories"] = [{"name": r.text, "role": r.role or "Chair of Governors"} for r in signed]
        if any(not r.role for r in signed):
            cover.comments.append("the cover does not say in what role each signatory signed; "
                                  "'Chair of Governors' was assumed")
    if cover.issued and "issued" not in record:
        record["issued"] = cover.issued
    return record
