"""The body's blocks arranged as sections and clauses, with the numbering style that gives back the same numbers."""

from __future__ import annotations

import re
from typing import Optional

from policyc.importers.blocks import Block, Unplaced
from policyc.importers.ids import Ids
from policyc.importers.layout import Contents, entry_key

KINDS = [(r"table of changes|change log|version history", "changes"), (r"^appendix", "appendix"),
         (r"scope|application|who .* applies", "scope"), (r"definition|what is it|meaning", "definitions"),
         (r"principle", "principles"), (r"must not|prohibited|unacceptable", "prohibited"),
         (r"consent", "consent"), (r"monitor", "monitoring"), (r"role|responsib", "roles"),
         (r"report|incident|inappropriate contact|breach|concern", "incidents"),
         (r"related|further information|reference", "related"), (r"practice|guideline|use\b", "practice")]


def numbering_style(body: list[Block]) -> str:
    """'1.1' when numbered paragraphs carry sentences, '1' when only sub-section titles are numbered."""
    subs = [b for b in body if b.kind == "numbered"]
    if any(len(b.text) > 100 or b.text.endswith(":") for b in subs):
        letters = any(b.kind == "item" and b.marker == "letter" for b in body)
        return "1.1 (a)" if letters else "1.1"
    if subs or any(b.kind == "heading" and b.number for b in body):
        return "1"
    return "none"


def arrange(body: list[Block], contents: Optional[Contents], unplaced: list[Unplaced]) -> tuple[str, list[dict], list[dict]]:
    """(numbering, sections, history) for the policy file."""
    style = numbering_style(body)
    ids = Ids()
    sections: list[dict] = []
    history: list[dict] = []
    section: Optional[dict] = None
    titled: Optional[dict] = None  # a titled sub-section taking the paragraphs that follow it
    rows: list[Block] = []

    def container() -> list[dict]:
        nonlocal section
        if section is None:
            section = _section(ids, "Introduction", None, numbered=False)
            sections.append(section)
        return titled["clauses"] if titled is not None else section["clauses"]

    def flush_rows() -> None:
        if not rows:
            return
        if section and section["kind"] == "changes" and (entries := _history(rows, unplaced)):
            history.extend(entries)
        else:
            container().append({"id": ids.clause(rows[0].cells[0]), "text": _table(rows)})
        rows.clear()

    for block in body:
        if block.kind != "row":
            flush_rows()
        if block.kind == "heading" and block.level == 1:
            section = _section(ids, block.text, block.number, numbered=bool(block.number) or style == "none")
            sections.append(section)
            titled = None
        elif block.kind == "heading" or (block.kind == "numbered" and style == "1"):
            titled = {"id": ids.clause(block.text, title=True), "title": block.text, "clauses": []}
            if block.number:
                titled["_number"] = block.number
            (section["clauses"] if section else container()).append(titled)
        elif block.kind == "numbered":
            clause = {"id": ids.clause(block.text), "text": escape(block.text), "_number": block.number}
            parent = _parent_for(container(), block.level)
            parent.append(clause)
        elif block.kind == "item":
            _add_item(container(), block, ids, style)
        elif block.kind == "row":
            rows.append(block)
        else:
            _add_para(container(), block, ids)
    flush_rows()
    if not sections:  # a document with no headings at all: one section holding every paragraph
        container()
    for s in sections:
        _finish_section(s, style)
    if contents:
        _contents_titles(sections, contents, ids, unplaced)
    return style, sections, history


def _section(ids: Ids, title: str, number: Optional[str], numbered: bool) -> dict:
    kind = next((k for pattern, k in KINDS if re.search(pattern, title, re.I)), "general")
    section = {"id": ids.section(title), "kind": kind, "title": title}
    if not numbered:
        section["numbered"] = False
    section["clauses"] = []
    return section


def _parent_for(clauses: list[dict], level: int) -> list[dict]:
    """7.2.1 goes under 7.2: the sub-clauses of the last clause one level up."""
    parent = clauses
    for _ in range(level - 2):
        last = next((c for c in reversed(parent) if "_number" in c), None)
        if last is None:
            break
        parent = last.setdefault("clauses", [])
    return parent


def _last_clause(clauses: list[dict]) -> Optional[dict]:
    clause = clauses[-1] if clauses else None
    while clause and clause.get("clauses") and "title" not in clause:
        clause = clause["clauses"][-1]
    return clause


def _add_item(clauses: list[dict], block: Block, ids: Ids, style: str) -> None:
    last = _last_clause(clauses)
    takes = last is not None and "after" not in last and "title" not in last and (
        "items" in last or str(last.get("text", "")).rstrip().endswith((":", "-", "–")) or block.marker == "letter")
    if not takes:
        last = {"id": ids.clause(block.text), "items": []}
        clauses.append(last)
    items = last.setdefault("items", [])
    if not items:
        last["_depth"] = block.depth
    level = max(block.depth - last.get("_depth", block.depth), 0)
    if level:  # a list within the list: under the item before it, one level down for each level deeper
        _nest(items, level, last.get("_marker"), block)
        return
    items.append(escape(block.text))
    last.setdefault("_marker", block.marker)
    if block.marker == "letter":
        last["list"] = "letter"
    elif style == "1.1 (a)":
        last["list"] = "bullet"


NESTED = {"letter": "roman", "roman": "letter", "bullet": "bullet", "decimal": "bullet"}


def _nest(items: list, level: int, marker: str | None, block: Block) -> None:
    """The item goes `level` lists down from `items`, each item that gains a list becoming text: with items:."""
    for _ in range(level):
        if not items:
            break
        parent = items[-1]
        if isinstance(parent, str):
            parent = items[-1] = {"text": parent, "items": []}
        items = parent.setdefault("items", [])
        if not items:  # the first item of this list says which marks it uses
            if block.marker in ("bullet", "letter", "roman") and block.marker != NESTED.get(marker or "bullet"):
                parent.pop("items")
                parent.update({"list": block.marker, "items": items})  # list: reads best before the items
            parent["_marker"] = block.marker
        marker = parent.get("_marker", NESTED.get(marker or "bullet"))
    items.append(escape(block.text))


def _add_para(clauses: list[dict], block: Block, ids: Ids) -> None:
    last = _last_clause(clauses)
    if last is not None and "items" in last and "after" not in last and block.text[:1].islower():
        last["after"] = escape(block.text)
        return
    clauses.append({"id": ids.clause(block.text), "text": escape(block.text)})


def _finish_section(section: dict, style: str) -> None:
    """Which paragraphs keep a number: those the document numbered, in a style that numbers paragraphs."""
    clauses = section["clauses"]
    numbered = [c for c in clauses if "_number" in c]
    if style.startswith("1.1") and section.get("numbered", True):
        if not [c for c in numbered if "title" not in c]:
            section["number_clauses"] = False
        else:
            for c in clauses:
                if "_number" not in c and "title" not in c:
                    c["numbered"] = False
    if style != "none":  # a sub-heading the document did not number takes no number (nor do its paragraphs)
        for c in clauses:
            if "title" in c and "_number" not in c and not any("_number" in k for k in c["clauses"]):
                c["numbered"] = False
    elif style == "1" and section.get("numbered", True) and not any("title" in c for c in clauses):
        pass
    _strip(clauses)
    if "number_clauses" in section:  # keep the key next to the other section switches
        section["clauses"] = section.pop("clauses")


def _strip(clauses: list[dict]) -> None:
    for c in clauses:
        c.pop("_number", None)
        c.pop("_marker", None)
        c.pop("_depth", None)
        _strip([i for i in c.get("items", []) if isinstance(i, dict)])
        _strip(c.get("clauses", []))


def _contents_titles(sections: list[dict], contents: Contents, ids: Ids, unplaced: list[Unplaced]) -> None:
    """Contents lines worded differently from their heading, and contents lines with no section at all."""
    by_key = {entry_key(s["title"]): s for s in sections}
    numbered = [s for s in sections if s.get("numbered", True)]
    for position, (number, title) in enumerate(contents.entries):
        if entry_key(title) in by_key:
            continue
        if number and number.isdigit() and int(number) <= len(numbered):
            numbered[int(number) - 1]["contents_title"] = title
            continue
        following = next((by_key[entry_key(t)] for _, t in contents.entries[position + 1:] if entry_key(t) in by_key), None)
        at = sections.index(following) if following else len(sections)
        empty = _section(ids, title, None, numbered=False)
        empty["note"] = "Listed in the document's contents, but the document has no text under this heading."
        sections.insert(at, empty)
        unplaced.append(Unplaced("contents", title, "listed in the contents but not found in the text; "
                                                    "kept as an empty section"))
    for s in sections:  # contents_title reads best beside title
        if "contents_title" in s:
            ordered = {k: s[k] for k in ("id", "kind", "title", "contents_title")}
            rest = {k: v for k, v in s.items() if k not in ordered}
            s.clear()
            s.update(ordered | rest)


def _table(rows: list[Block]) -> str:
    width = max(len(r.cells) for r in rows)
    lines = []
    for i, row in enumerate(rows):
        cells = [c.replace("|", "\\|") for c in row.cells] + [""] * (width - len(row.cells))
        lines.append("| " + " | ".join(cells) + " |")
        if i == 0:
            lines.append("|" + "---|" * width)
    return "\n".join(lines) + "\n"


def _history(rows: list[Block], unplaced: list[Unplaced]) -> list[dict]:
    """A table of changes: its rows, when the first column holds dates, become history entries."""
    from policyc.importers.dates import find_date

    entries = []
    for row in rows[1:]:
        found = find_date(row.cells[0])
        if not found or len(row.cells) < 2:
            unplaced.append(Unplaced(row.where, row.text, "a row of the table of changes without a date"))
            continue
        entry = {"date": found[0].isoformat()}
        if len(row.cells) >= 3:
            entry["paragraphs"] = row.cells[1]
        entry["summary"] = row.cells[-1]
        entries.append(entry)
    return entries


def change_columns(rows_header: list[str]) -> list[dict]:
    fields = []
    for heading in rows_header:
        low = heading.lower()
        field = ("summary" if "summary" in low else "date" if "date" in low else "paragraphs" if "para" in low or "section" in low
                 else "version" if "version" in low else "owner" if "owner" in low or "by" in low.split() else "summary")
        fields.append({"field": field, "heading": heading})
    return fields


MARKDOWN_START = re.compile(r"^(\d+)([.)])(\s)")


def escape(text: str) -> str:
    """Text that Markdown would otherwise read as a list or heading, kept as words."""
    text = MARKDOWN_START.sub(r"\1\\\2\3", text)
    text = re.sub(r"\[([^\]]+)\]\(#?\)", r"\1", text)  # a link with no target: keep its words
    if text.startswith(("#", "- ", "+ ", "> ")):
        text = "\\" + text
    return text
