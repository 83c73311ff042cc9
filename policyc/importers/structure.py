"""The body's blocks arranged as sections and clauses, with the numbering style that gives back the same numbers."""

from __future__ import annotations

import re
from typing import Optional

from policyc.importers.blocks import TextBlock, Unplaced
from policyc.importers.ids import Ids
from policyc.importers.layout import Contents, entry_key

KINDS = [(r"table of changes|change log|version history", "changes"), (r"^appendix", "appendix"),
         (r"scope|application|who .* applies", "scope"), (r"definition|what is it|meaning", "definitions"),
         (r"principle", "principles"), (r"must not|prohibited|unacceptable", "prohibited"),
         (r"consent", "consent"), (r"monitor", "monitoring"), (r"role|responsib", "roles"),
         (r"report|incident|inappropriate contact|breach|concern", "incidents"),
         (r"related|further information|reference", "related"), (r"practice|guideline|use\b", "practice")]


def numbering_style(body: list[TextBlock]) -> str:
    """'1.1' when numbered paragraphs carry sentences, '1' when only sub-section titles are numbered."""
    subs = [b for b in body if b.kind == "numbered"]
    if any(len(b.text) > 100 or b.text.endswith(":") for b in subs):
        letters = any(b.kind == "item" and b.marker == "letter" for b in body)
        return "1.1 (a)" if letters else "1.1"
    if subs or any(b.kind == "heading" and b.number for b in body):
        return "1"
    return "none"


def arrange(body: list[TextBlock], contents: Optional[Contents], unplaced: list[Unplaced]) -> tuple[str, list[dict], list[dict]]:
    """(numbering, sections, history) for the policy file.

    The document's numbers come back from the house numbering when it gives exactly those
    numbers (1, 1.1, 1.2, 2 ...); when it cannot (a paragraph numbered 1 before section 2.1,
    a gap, a section that starts at 4), every number is kept as the document wrote it, in the
    text of its heading or paragraph, and the policy numbers nothing itself.
    """
    tried: list[Unplaced] = []
    style, sections, history = _arrange(body, contents, tried, literal=False)
    if style != "none" and not _gives_back(style, sections):
        tried = []
        style, sections, history = _arrange(body, contents, tried, literal=True)
    for s in sections:
        _strip(s["clauses"])
        s.pop("_number", None)
    unplaced.extend(tried)
    return style, sections, history


def opening(sections: list[dict]) -> tuple[list[dict], list[str]]:
    """The paragraphs a document has before its first heading, as the policy's opening words,
    where the format would otherwise need a section headed with a title the document never
    had ("Introduction"). They stay a section when they are more than plain paragraphs
    (numbered, a list, a table), or when the document has no heading at all."""
    if not sections or not sections[0].pop("_made", False):
        return sections, []
    first = sections[0]
    if len(sections) == 1 or not first["clauses"] or any(
            set(c) - {"id", "text"} or c["text"].lstrip().startswith("|")
            or re.match(r"\s*(?:\d{1,2}(?:\.\d{1,2})*\\?\.?|\(?[a-z0-9]{1,4}\))\s", c["text"]) for c in first["clauses"]):
        return sections, []
    return sections[1:], [c["text"] for c in first["clauses"]]


def _gives_back(style: str, sections: list[dict]) -> bool:
    """Whether the house numbering, as policyc.compile numbers a policy, gives back every number the
    document gave a section or paragraph (the numbers the import report would otherwise say are lost)."""
    def norm(number: str) -> str:
        return re.sub(r"\.0$", "", number.strip("."))

    wanted: set[str] = set()
    given: set[str] = set()

    def visit(clauses: list[dict], prefix: str, number_clauses: bool) -> None:
        counter = 0
        for c in clauses:
            if "_number" in c:
                wanted.add(norm(c["_number"]))
            numbered = bool(prefix) and c.get("numbered", "title" in c or (number_clauses and style != "1"))
            if numbered:
                counter += 1
                given.add(f"{prefix}.{counter}")
            visit(c.get("clauses", []), f"{prefix}.{counter}" if numbered else "", number_clauses)

    counter = 0
    for s in sections:
        if s.get("_number"):
            wanted.add(norm(s["_number"]))
        if s.get("numbered", True):
            counter += 1
            given.add(str(counter))
        visit(s["clauses"], str(counter) if s.get("numbered", True) else "", s.get("number_clauses", True))
    return wanted <= given


def _arrange(body: list[TextBlock], contents: Optional[Contents], unplaced: list[Unplaced], literal: bool
             ) -> tuple[str, list[dict], list[dict]]:
    style = "none" if literal else numbering_style(body)
    ids = Ids()
    sections: list[dict] = []
    history: list[dict] = []
    section: Optional[dict] = None
    titled: Optional[dict] = None  # a titled sub-section taking the paragraphs that follow it
    rows: list[TextBlock] = []

    def container() -> list[dict]:
        nonlocal section
        if section is None:
            section = _section(ids, "Introduction", None, numbered=False)
            section["_made"] = True  # a heading the document does not have: see opening()
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
            title = f"{block.number} {block.text}" if literal and block.number else block.text
            section = _section(ids, block.text, block.number, numbered=bool(block.number) or style == "none")
            section["title"] = title
            if block.number:
                section["_number"] = block.number
            sections.append(section)
            titled = None
        elif block.kind == "heading" or (block.kind == "numbered" and style == "1"):
            title = f"{block.number} {block.text}" if literal and block.number else block.text
            titled = None  # the sub-section goes into the section, never into the sub-section before it
            parent = section["clauses"] if section else container()
            titled = {"id": ids.clause(block.text, title=True), "title": title, "clauses": []}
            if block.number:
                titled["_number"] = block.number
            parent.append(titled)
        elif block.kind == "numbered":
            if titled is not None and titled.get("_number") and block.number \
                    and block.number.count(".") <= str(titled["_number"]).count("."):
                titled = None  # 4.3 after the sub-section 4.2: the section's paragraph, not the sub-section's
            text = f"{block.number} {block.text}" if literal else block.text
            clause = {"id": ids.clause(block.text), "text": escape(text), "_number": block.number}
            base = str(titled["_number"]).count(".") + 1 if titled is not None and titled.get("_number") else 1
            parent = _parent_for(container(), block.level - base + 1)  # 7.2.1 in the sub-section 7.2: its paragraph
            parent.append(clause)
        elif block.kind == "item" and ((block.marker == "decimal" and not _in_list(container(), block))
                                       or _in_numbered_list(container(), block)):
            _add_numbered_item(container(), block, ids)
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


def _in_list(clauses: list[dict], block: TextBlock) -> bool:
    """A numbered item one level into a list of bullets or letters: an item of that list."""
    last = _last_clause(clauses)
    return block.depth > 0 and last is not None and "items" in last and "after" not in last


def _in_numbered_list(clauses: list[dict], block: TextBlock) -> bool:
    """A bullet or letter one level into an item of a numbered list: part of that list."""
    last = clauses[-1] if clauses else None
    return bool(last and "_ol" in last and block.depth > last["_ol_depth"])


def _add_numbered_item(clauses: list[dict], block: TextBlock, ids: Ids) -> None:
    """A numbered list keeps its numbers: it is written as a Markdown ordered list in the clause's text,
    starting at the document's first number; a number that does not follow on starts a list of its own."""
    last = clauses[-1] if clauses else None
    number = int(block.number) if block.number and block.number.isdigit() else None
    if last is not None and "_ol" in last and block.depth > last["_ol_depth"]:  # a list within an item
        mark = {"letter": "-", "roman": "-"}.get(block.marker or "", "-")
        last["text"] += f"\n{' ' * last['_ol_indent'] * (block.depth - last['_ol_depth'])}{mark} {escape(block.text)}"
        return
    if number is None:
        number = (last["_ol"] + 1) if last is not None and "_ol" in last else 1
    line = f"{number}. {escape(block.text)}"
    if last is not None and "_ol" in last and number == last["_ol"] + 1 and block.depth == last["_ol_depth"]:
        last["text"] += "\n" + line
    elif (last is not None and "text" in last and "items" not in last and "title" not in last and "_ol" not in last
          and str(last["text"]).rstrip().endswith(":")):
        last["text"] = f"{last['text']}\n\n{line}"
    else:
        last = {"id": ids.clause(block.text), "text": line}
        clauses.append(last)
    last.update({"_ol": number, "_ol_depth": block.depth, "_ol_indent": len(f"{number}. ")})


def _last_clause(clauses: list[dict]) -> Optional[dict]:
    clause = clauses[-1] if clauses else None
    while clause and clause.get("clauses") and "title" not in clause:
        clause = clause["clauses"][-1]
    return clause


def _add_item(clauses: list[dict], block: TextBlock, ids: Ids, style: str) -> None:
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


def _nest(items: list, level: int, marker: str | None, block: TextBlock) -> None:
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


def _add_para(clauses: list[dict], block: TextBlock, ids: Ids) -> None:
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
    if "number_clauses" in section:  # keep the key next to the other section switches
        section["clauses"] = section.pop("clauses")


def _strip(clauses: list[dict]) -> None:
    for c in clauses:
        c.pop("_number", None)
        c.pop("_marker", None)
        c.pop("_depth", None)
        for k in ("_ol", "_ol_depth", "_ol_indent"):
            c.pop(k, None)
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


def _table(rows: list[TextBlock]) -> str:
    width = max(len(r.cells) for r in rows)
    lines = []
    for i, row in enumerate(rows):
        cells = [c.replace("|", "\\|") for c in row.cells] + [""] * (width - len(row.cells))
        lines.append("| " + " | ".join(cells) + " |")
        if i == 0:
            lines.append("|" + "---|" * width)
    return "\n".join(lines) + "\n"


def _history(rows: list[TextBlock], unplaced: list[Unplaced]) -> list[dict]:
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
