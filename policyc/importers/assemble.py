"""A read document turned into the trust's source files: the trust (if new), the model policy and the school."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Optional

from policyc.importers import names
from policyc.importers.blocks import TextBlock, Unplaced
from policyc.importers.cover import (
    Cover,
    block_rows,
    looks_like_cover_fact,
    ratification,
    read_cover,
)
from policyc.importers.decode import Note
from policyc.importers.ids import slug
from policyc.importers.layout import entry_key, split_document
from policyc.importers.names import Left
from policyc.importers.structure import arrange, change_columns, escape, opening
from policyc.importers.yamlout import dump

SCHEMA = "# yaml-language-server: $schema={}schemas/{}.schema.json"


@dataclass(frozen=True)
class Offer:
    """A placeholder the import could write (with --placeholders): the words the document gives, how
    many times, and the placeholder for them."""

    words: str
    count: int
    placeholder: str


@dataclass
class Imported:
    """What an import writes (paths relative to the source folder) and what it could not place."""

    policy_id: str
    school_slug: str
    files: dict[str, str] = field(default_factory=dict)
    unplaced: list[Unplaced] = field(default_factory=list)
    offered: list[Offer] = field(default_factory=list)  # placeholders found but not applied
    left: list[Left] = field(default_factory=list)  # with --placeholders, what could not become one
    notes: list[Note] = field(default_factory=list)  # what reading did to the text (read.read_document)
    own: bool = False  # the policy is its school's alone (applies_to: schools:), in a trust of several
    numbers: set[str] = field(default_factory=set)  # the paragraph numbers the document carries
    overlay: dict = field(default_factory=dict)
    cover_rows: list[str] = field(default_factory=list)  # the cover's ratification rows, as label: value  # the school's entry under policies:, for a school already there
    policy: dict = field(default_factory=dict)  # the model policy as written to policies/<id>.yaml
    school: dict = field(default_factory=dict)  # the school as written to schools/<slug>.yaml
    school_name: Optional[str] = None  # the school the document names, if it names one
    comments: list[str] = field(default_factory=list)  # what the cover left uncertain
    text: str = ""  # the whole document's words


NO_SCHOOL_NAME = "the document does not name its school or setting"


def assemble(blocks: list[TextBlock], origin: str, placeholders: bool = False,
             policy_id: Optional[str] = None) -> Imported:
    layout = split_document(blocks)
    layout.body, ending = _end_block(layout.body)
    cover = read_cover(layout.cover)
    end = read_cover(ending, ending=True) if ending else None
    position = "start"
    if end and end.rows and not cover.rows:
        position = "end"
    if end:
        cover.rows += end.rows
        cover.draft = cover.draft or end.draft
        cover.comments += end.comments
        cover.body = cover.body or end.body
    cover.draft = cover.draft or layout.draft
    unplaced: list[Unplaced] = [Unplaced(b.where, b.text, f"left out {', '.join(b.dropped)}: no font can draw it")
                                for b in blocks if b.dropped]
    style, sections, history = arrange(layout.body, layout.contents, unplaced)
    if not cover.title and sections and not sections[0].get("_made") and (
            style == "none" or sections[0].get("numbered") is False):
        # The document's first line, read as the heading over its first paragraphs, is its
        # title: printed once, as the title, with those paragraphs as the opening words.
        cover.title = sections[0]["title"]
        sections[0]["_made"] = True
    sections, opening_words = opening(sections)
    full_text = "\n".join(b.text for b in blocks)
    school = names.school_name(full_text, [b.text for b in layout.cover]) or _school_from_body(cover.body)
    roles = names.role_titles(full_text)
    trust_name = names.trust_name(full_text)
    body = cover.body or "Governing Body"
    title = cover.title or (sections[0]["title"] if sections else "Imported policy")
    pid = policy_id or _policy_id(title)
    result = Imported(pid, slug(school or "our-school", 6), unplaced=unplaced)
    result.numbers = {b.number for b in layout.body if b.number and (b.kind in ("heading", "numbered")
                                                                     or b.marker == "decimal")}
    cover.preamble = [p for p in cover.preamble if not _part_of(p, school)]
    record = ratification(cover)
    policy = _policy(pid, title, cover, style, layout.contents, sections, history, record, opening_words)
    rows = block_rows(cover, record)
    # The document's own block, where it had it, with no heading or status line it did not have.
    policy["ratification_layout"] = {"position": position if rows else "none", "heading": False,
                                     "status_line": False, **({"rows": rows} if rows else {})}
    policy["sections"] = policy.pop("sections")
    if "history" in policy:
        policy["history"] = policy.pop("history")
    if placeholders:
        signed = {s["role"]: s["name"] for s in record.get("signatories", [])}
        holders = {key: signed[title] for key, title in roles.items() if title in signed}
        result.left = _placeholders(policy, school, cover.body, roles, holders)
    else:
        result.offered = _offers(full_text, school, cover.body, roles)
    result.files["trust.yaml"] = dump(_trust(school or trust_name, body, roles, cover, blocks), [
        SCHEMA.format("../", "trust")[2:], f"Made by `policyc import` from {origin}."])
    result.files[f"policies/{pid}.yaml"] = dump(policy, [
        SCHEMA.format("../../", "policy")[2:], f"Imported from {origin} by `policyc import`."])
    result.overlay = {pid: {"ratification": record}}
    result.cover_rows = [f"{r.label} {r.text}".strip() for r in cover.rows]
    result.policy, result.school_name, result.comments, result.text = policy, school, cover.comments, full_text
    if not school:
        cover.comments.append(f"{NO_SCHOOL_NAME}, so no name is printed on its pages; add name: with the "
                              "setting's name")
    result.school = _school(school, body, roles, pid, record, full_text)
    result.files[f"schools/{result.school_slug}.yaml"] = dump(result.school, school_header(cover.comments))
    return result


_ADOPTION = re.compile(r"^(?:this|the)\b.{0,80}\b(?:policy|code|procedure)\b.{0,40}\b(?:was|has been|is|were)\s+"
                       r"(?:adopted|approved|ratified|agreed)\b", re.I)
_SIGNATURE = re.compile(r"^(?:signed|signature|sign|date|dated|print name|name|chair|headteacher|head teacher|"
                        r"principal)\b[^.]{0,80}$", re.I)


def _end_block(body: list[TextBlock]) -> tuple[list[TextBlock], list[TextBlock]]:
    """The adoption statement and signature lines that close a document: its record, not clauses."""
    i = len(body)
    while i > 0 and len(body) - i < 10:
        block = body[i - 1]
        text = block.text.strip()
        if block.kind == "row" and any(_SIGNATURE.match(c.strip()) for c in block.cells if c.strip()):
            i -= 1
        elif block.kind in ("para", "numbered") and len(text) < 200 and (
                _ADOPTION.match(text) or _SIGNATURE.match(text) or text.upper() == "DRAFT"
                # a fact on a line of its own; a numbered paragraph of sentences is a clause
                or block.kind == "para" and not re.search(r"[.!?]\s+[A-Z]", text) and looks_like_cover_fact(text)):
            i -= 1
        else:
            break
    ending = body[i:]
    if not any(_ADOPTION.match(b.text.strip()) or looks_like_cover_fact(b.text.strip()) or b.kind == "row"
               for b in ending):
        return body, []
    for block in ending:
        if block.kind == "numbered":
            block.kind = "para"
    return body[:i], ending


def school_header(comments: list[str]) -> list[str]:
    return [SCHEMA.format("../../", "school")[2:], *(f"Check: {c}" for c in comments)]


def _policy_id(title: str) -> str:
    short = re.split(r"\bpolicy\b", title, flags=re.I)[0].strip(" -–&")
    return slug(short or title, 5)


def _part_of(line: str, school: Optional[str]) -> bool:
    """A cover line that only repeats the school's name (a logo: 'Flourish', 'FEDERATION')."""
    return bool(school) and entry_key(line) != "" and entry_key(line) in entry_key(school)


def _school_from_body(body: Optional[str]) -> Optional[str]:
    if body and (m := re.match(r"^(.+?) (?:Local |Full )?(Governing Body|Management Committee)$", body)):
        return m.group(1)
    return None


def _policy(pid: str, title: str, cover: Cover, style: str, contents, sections: list[dict], history: list[dict],
            record: dict, opening_words: list[str] = ()) -> dict:
    policy: dict = {"id": pid, "title": title}
    if cover.subtitle:
        policy["subtitle"] = cover.subtitle
    policy["numbering"] = style
    if record.get("review_cycle"):  # only a cycle the document states
        policy["review_cycle"] = record["review_cycle"]
    if contents:
        policy["contents"] = {"title": contents.title, **({"note": contents.note} if contents.note else {})}
    else:
        policy["contents"] = False
    if cover.preamble:
        policy["preamble"] = "\n\n".join(_preamble_lines(cover.preamble)) + "\n"
    if opening_words:  # the words before the first heading, with no heading of their own
        policy["opening"] = "\n\n".join(opening_words) + "\n"
    policy["sections"] = sections
    if history:
        policy["history"] = history
    return policy


def _short(line: str) -> bool:
    return len(line.split()) <= 4 and not line.endswith((".", ",")) and "," not in line


def _preamble_lines(lines: list[str]) -> list[str]:
    """The cover's words: a short line without a full stop over a longer paragraph is a heading
    of the values statement, in bold; a run of short lines (a list whose marks the text lost)
    stays as written."""
    out = []
    for i, line in enumerate(lines):
        line = re.sub(r"</?(i|b|em|strong)>", "", line)
        if line.startswith("**") and line.endswith("**"):
            out.append(line)
            continue
        before = i > 0 and _short(lines[i - 1])
        after = i + 1 < len(lines) and _short(lines[i + 1])
        out.append(f"**{line}**" if _short(line) and i + 1 < len(lines) and not after and not before
                   else escape(line))
    return out


def _cycle_from(record: dict) -> Optional[str]:
    if "date" in record and "next_review" in record:
        years = round((int(record["next_review"][:4]) * 12 + int(record["next_review"][5:7])
                       - int(record["date"][:4]) * 12 - int(record["date"][5:7])) / 12)
        return {1: "annually", 2: "biennially", 3: "triennially"}.get(years)
    return None


def _trust(school: Optional[str], body: str, roles: dict[str, str], cover: Cover, blocks: list[TextBlock]) -> dict:
    trust: dict = {**({"name": school} if school else {}), "type": "single school", "approving_body": body,
                   "roles": {"headteacher": "Headteacher", **roles}}
    rows = []
    signatory_seen = False
    for row in cover.rows:
        if row.value == "signatory":
            if signatory_seen:
                continue
            signatory_seen = True
            entry = {"label": row.label, "value": "signatory"}
            roles_expected = [r.role for r in cover.rows if r.value == "signatory" and r.role and not r.text]
            if roles_expected:
                entry["roles"] = roles_expected
        else:
            entry = {"label": row.label.replace(cover.body, "{{ body.name }}") if cover.body else row.label,
                     "value": row.value}
            if row.format and row.value in ("date", "next_review") and row.format != "long":
                entry["format"] = row.format
            elif row.value == "issued" and row.text:
                pass
        rows.append(entry)
    header = next((b for b in blocks if b.kind == "row" and "date" in b.cells[0].lower() and len(b.cells) >= 2
                   and any("summary" in c.lower() or "update" in c.lower() for c in b.cells)), None)
    if header:
        trust["change_table"] = {"columns": change_columns([c for c in header.cells if c])}
    return trust


def _school(school: Optional[str], body: str, roles: dict[str, str], pid: str, record: dict, text: str) -> dict:
    phase = ("alternative-provision" if re.search(r"alternative provision|pupil referral|learners", text, re.I)
             else "nursery" if re.search(r"\bnursery\b", school or "", re.I)
             or re.search(r"\bpre-?school\b|\bplaygroup\b|\bearly years setting\b", text, re.I)
             else "secondary" if re.search(r"\bstudents\b|sixth form|\bacademy\b", text, re.I) else "primary")
    data: dict = {**({"name": school} if school else {}),
                  "#phase": "phase guessed from the policy's words: check it",
                  "phase": phase, "approving_body": body,
                  "roles": {key: {"title": title} for key, title in roles.items()}}
    signed = {s["role"]: s["name"] for s in record.get("signatories", [])}
    for key, title in roles.items():
        if title in signed:
            data["roles"][key]["name"] = signed[title]
    if not data["roles"]:
        data["roles"] = {"headteacher": {"title": "Headteacher"}}
    data["policies"] = {pid: {"ratification": record}}
    return data


_WORDS = ("text", "after", "title", "preamble", "subtitle", "contents_title")


def _texts(policy: dict, change=None) -> list[tuple[str, str]]:
    """Every text of the model that reaches the reader, as (where, text), where being the id of
    the clause or section that holds it; `change(text)` rewrites each in place."""
    found: list[tuple[str, str]] = []

    def seen(text: str, where: str) -> str:
        text = change(text) if change else text
        found.append((where, text))
        return text

    def walk(node, where: str):
        if isinstance(node, dict):
            where = f"{'clause' if 'text' in node else 'section'} {node['id']}" if "id" in node else where
            for k, v in node.items():
                if k in _WORDS and isinstance(v, str):
                    node[k] = seen(v, where)
                elif k == "items" and isinstance(v, list):
                    node[k] = [seen(i, where) if isinstance(i, str) else walk(i, where) or i for i in v]
                else:
                    walk(v, where)
        elif isinstance(node, list):
            for v in node:
                walk(v, where)
    walk(policy["sections"], "")
    for k in ("preamble", "subtitle"):
        if isinstance(policy.get(k), str):
            policy[k] = seen(policy[k], k)
    return found


def _placeholders(policy: dict, school: Optional[str], body: Optional[str], roles: dict[str, str],
                  holders: dict[str, str]) -> list[Left]:
    """The policy's school-specific names written as placeholders; what is left."""
    after = _texts(policy, lambda text: names.apply(text, school, body, roles, holders))
    return names.left_as_written(after, school)


def _offers(text: str, school: Optional[str], body: Optional[str], roles: dict[str, str]) -> list[Offer]:
    offers = []
    for words, placeholder in ([(school, "{{ school.name }}"), (body, "{{ body.name }}")]
                               + [(t, f"{{{{ role.{k} }}}}") for k, t in roles.items()]):
        if words and (count := len(re.findall(rf"(?<!\w){re.escape(words)}(?!\w)", text))):
            offers.append(Offer(words, count, placeholder))
    return offers
