"""The cover page read as facts: title, school, approving body, and the ratification rows as written."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Optional

from policyc.importers.blocks import TextBlock
from policyc.importers.names import SCHOOL
from policyc.importers.dates import WRITTEN, find_cycle, find_date, find_written, month_only

BODIES = re.compile(r"((?:[A-Z][\w'&]*\s)*?(?:Local |Full )?(?:Governing Body|Management Committee|Board of Trustees|"
                    r"Trust Board|Board of Directors|Interim Executive Board))")
_SPLIT = (re.compile(r"^(?P<label>.*?\S)\s*\.{2,}\s*(?P<value>.*?)[\s.]*$"),
          re.compile(r"^(?P<label>(?:Signed|Signature|Date|Version|Review(?:ed)?)(?![a-z])[^:\d]*?):?\s*(?P<value>\d.*?|)[\s.]*$"),
          re.compile(r"^(?P<label>[^:]{3,120}):\s*(?P<value>.*?)\s*$"))
# 'Agreed by FGB on 14th March 2022', 'To be reviewed March 2023': a label, then the date it gives.
_ENDS_IN_DATE = re.compile(r"^(?P<label>.{3,140}?)[\s:,–-]*(?P<value>" + WRITTEN + r")[\s.]*$", re.I)
_REVIEW_PHRASE = re.compile(r"^(?P<label>(?:To be )?reviewed?(?: on)?)\s+(?P<value>(?:annually|biennially|triennially|every .+))$", re.I)


@dataclass
class Row:
    """One line of the ratification block as the document wrote it."""

    label: str
    value: str  # the ratification_block value: date, next_review, version, signatory, ...
    text: str  # what was written in the value's place
    format: Optional[str] = None
    role: Optional[str] = None
    recorded: bool = False  # the record holds this row's fact, so the row shows it from there


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


def read_cover(blocks: list[TextBlock], ending: bool = False) -> Cover:
    """Everything before the policy's first section: label-value rows, the title, a values statement.

    With `ending`, the lines that close the document: each is a row of its block, a statement
    ("This policy was adopted by the trustees of ...") kept as a row of its own words.
    """
    cover = Cover()
    blocks = _paired(blocks)
    # Not the setting's name in the Title style ("Oakfield Primary School" over "Staff Code of Conduct Policy").
    styled = next((b for b in blocks if b.title and not SCHOOL.fullmatch(b.text.strip())), None)
    if styled is not None and not ending:  # the title by typography: Word's Title style, the largest text
        cover.title = styled.text.strip()
        if m := re.match(r"^(\d{1,2}(?:\.\d{1,2})*)\.?\s+(\S.*)$", cover.title):
            cover.title = m.group(2)
            cover.comments.append(f"the document numbers its title {m.group(1)}; the title is written without "
                                  "that number, which no policy field holds")
    for block in blocks:
        if block is styled and not ending:
            continue
        text = block.text.strip()
        if block.kind == "row":
            row = _row(block.cells[0].strip(), " ".join(c for c in block.cells[1:] if c))
        else:
            row = _split(text)
        if row:
            cover.rows.append(row)
        elif _says_draft(text):
            cover.draft = True
        elif ending:
            cover.rows.append(Row(text, "statement", ""))
        elif (issued := month_only(text)) and not cover.issued:
            cover.issued = issued
        elif (re.search(r"\bpolicy\b", text, re.I) and len(text) < 120 and not text.endswith(".")
              and not re.match(r"^policy\s+(no\.?|number)\s*\d", text, re.I)):
            if cover.title is None:
                cover.title = text
            elif cover.subtitle is None and styled is None:
                cover.subtitle = text
            else:
                cover.preamble.append(text)
        else:
            cover.preamble.append(text)
    if cover.title is None and not ending and cover.preamble and _title_line(cover.preamble[0]) \
            and not SCHOOL.fullmatch(cover.preamble[0].strip()):  # the setting's name over the title is not it
        cover.title = cover.preamble.pop(0)  # the first line of the document, as a text file gives it
    cover.body = next((r.text for r in cover.rows if r.value == "body" and r.text), None) or next(
        (m.group(1) for r in cover.rows if (m := BODIES.search(r.label))), None)
    _signatory_roles(cover)
    return cover


def _says_draft(text: str) -> bool:
    """'DRAFT', 'Status: Draft', 'This is a draft': the document's own word that it is not yet in force."""
    plain = re.sub(r"\*\*|</?(b|strong|i|em)>", "", text).strip()
    return (plain.upper() in ("DRAFT", "DRAFT POLICY") or bool(re.match(r"^status:\s*draft\b", plain, re.I))
            or bool(re.match(r"^this is a draft\b", plain, re.I)))


def _paired(blocks: list[TextBlock]) -> list[TextBlock]:
    """A table whose first row names the facts and whose second gives them ('Date of Policy | Date
    approved by Governors | Date of Review' over 'October 2015 | 19 October 2015 | October 2017'),
    read as one label-value row for each column."""
    out: list[TextBlock] = []
    i = 0
    while i < len(blocks):
        head = blocks[i]
        after = blocks[i + 1] if i + 1 < len(blocks) else None
        if (head.kind == "row" and after is not None and after.kind == "row" and len(head.cells) >= 2
                and len(head.cells) == len(after.cells) and all(_is_label(c) for c in head.cells if c.strip())
                and not any(_is_label(c) for c in after.cells if c.strip())):
            out += [TextBlock("row", f"{a}\t{b}", head.where, cells=[a, b]) for a, b in zip(head.cells, after.cells)
                    if a.strip() or b.strip()]
            i += 2
            continue
        out.append(head)
        i += 1
    return out


def _title_line(text: str) -> bool:
    """A short line that is not a sentence, a label or a section's usual first heading."""
    return (len(text.split()) <= 14 and not re.search(r"[.,;:!]$", text) and text[:1].isupper()
            and not re.fullmatch(r"(introduction|policy statement|purpose|contents)", text.strip(), re.I)
            and not find_written(text))


def looks_like_cover_fact(text: str) -> bool:
    """'Adopted by the Governing Body on: 12 September 2025': a ratification row, not policy text."""
    return _split(text) is not None


def _split(text: str) -> Optional[Row]:
    if m := _REVIEW_PHRASE.match(text):
        return _row(m.group("label"), m.group("value"))
    m = _ENDS_IN_DATE.match(text)
    if m and _is_label(m.group("label")):
        colon = ":" in text[m.end("label"):m.start("value")]
        return _row(m.group("label") + (":" if colon else ""), m.group("value"))
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
                          r"minute|issued|agreed|next update|updated|applicable from)\b", label, re.I)) \
        and len(label.split()) <= 25


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
    if re.search(r"\blast review|\bdate reviewed\b|^reviewed\b|\blast reviewed\b|\bupdated\b", low) \
            and not re.search(r"\bto be\b|\bnext\b", low):
        return Row(label, "updated", value, fmt)  # 'Date of last review': when it was, never the next
    if "next update" in low:
        return Row(label, "next_review", value, fmt)
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
    """The school's record from the cover: exactly what the document gives, dates as written.

    A document is a draft only when it says so; otherwise it is adopted, with the facts it
    states and nothing more (no review cycle, no signatories, no date unless written).
    """
    record: dict = {"status": "draft" if cover.draft else "adopted"}
    for row in cover.rows:
        field = {"date": "date", "next_review": "next_review", "updated": "updated"}.get(row.value)
        written = find_written(row.text) if field else None
        if field and written and field not in record:
            record[field], row.format = _as_recorded(written)
            row.recorded = True
        elif row.value == "version" and row.text and "version" not in record:
            record["version"] = re.sub(r"^(version|v\.)\s*", "", row.text, flags=re.I) or row.text
            row.recorded = True
        elif row.value == "review_cycle" and (cycle := find_cycle(row.text)) and "review_cycle" not in record:
            record["review_cycle"] = cycle
            row.recorded = True
        elif row.value == "issued" and row.text and "issued" not in record:
            record["issued"] = row.text
            row.recorded = True
        elif row.value == "minute" and row.text and "minute" not in record:
            record["minute"] = row.text
            row.recorded = True
    if "date" in record and "next_review" in record:
        from policyc.text.dates import parse_written
        first, due = (parse_written(record[k]) for k in ("date", "next_review"))
        if first and due and due.last <= first.first:
            cover.comments.append(f"the cover's review date {record['next_review']} is not after its date "
                                  f"{record['date']}: both are kept as written in the rows, not the record")
            for row in cover.rows:
                if row.value in ("date", "next_review"):
                    row.recorded = False
            del record["date"], record["next_review"]
    signed = [r for r in cover.rows if r.value == "signatory" and r.text]
    for row in signed:  # 'Sam Okoro, Chair of Trustees': a name and a role in one value
        if not row.role and (m := re.match(r"^([^,]+),\s*(.+)$", row.text)):
            row.text, row.role = m.group(1).strip(), m.group(2).strip()
    named = [r for r in signed if r.role]
    if named:
        record["signatories"] = [{"name": r.text, "role": r.role} for r in named]
        for r in named:
            r.recorded = True
    if any(not r.role for r in signed):
        cover.comments.append("a signature on the cover does not say in what role it was signed: "
                              "it is kept as written, not as a signatory")
    if record["status"] == "adopted" and not named and any(k in record for k in ("date", "updated")):
        cover.comments.append("the document names no one who signed it: recorded as adopted; if it was "
                              "ratified, add its signatories and set status: ratified")
    if (record["status"] == "adopted" and named and "date" in record
            and any(re.search(r"ratif", r.label, re.I) for r in cover.rows)):
        record["status"] = "ratified"
    if cover.issued and "issued" not in record:
        record["issued"] = cover.issued
    return record


def _as_recorded(written: str) -> tuple[str, Optional[str]]:
    """A day as a date with the row format that prints it exactly as written ('14th March 2022':
    ordinal, '18/09/2022': numeric); a day no format prints so ('01 September 2022'), a month or
    a year, as written."""
    from policyc.text.dates import format_date
    from policyc.text.dates import parse_written
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", written):
        return written, "iso"
    found = find_date(written)
    if found and (format_date(found[0], found[1]) == written or not parse_written(written)):
        return found[0].isoformat(), found[1]  # '1/9/2022' is shown '01/09/2022': the nearest the format has
    return written, None


def block_rows(cover: Cover, record: dict) -> list[dict]:
    """The policy's own ratification rows: each of the document's lines, in its order, as written.

    A fact the record holds is shown from the record (a date as written); anything else the
    line says is kept as the line's own words, so nothing is invented and nothing lost.
    """
    rows: list[dict] = []
    signatory_shown = False
    for row in cover.rows:
        label = row.label.replace("{{ signatory.role }}", row.role or "")
        if row.value == "signatory" and row.recorded:
            if signatory_shown:
                continue
            signatory_shown = True
            rows.append({"label": row.label if row.role else label, "value": "signatory"})
        elif row.recorded:
            entry = {"label": label, "value": row.value}
            if row.value in ("date", "next_review", "updated") and row.format and row.format != "long":
                entry["format"] = row.format
            rows.append(entry)
        elif row.value in ("signatory", "date", "updated", "next_review") and not row.text:
            rows.append({"label": label, "value": "blank"})  # a line to sign or date by hand
        elif row.value == "body" and row.text:
            rows.append({"label": f"{label} {row.text}".strip(), "value": "none"})
        else:
            rows.append({"label": f"{label} {row.text}".strip(), "value": "none"})
    return rows
