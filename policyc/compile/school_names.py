"""The names a school's copy of a policy uses, checked for that school: every placeholder
filled by a name the school has, every [[reference]] to a clause that is in its copy, or to
another policy's that is in that policy's copy, and every reason's names.

Why apart from resolution: resolve.py makes the school's copy; this reads it and says
what in it cannot be filled or followed, at the place each was written. Resolution
reports the problems and makes no copy while there are any.
"""

from __future__ import annotations

import difflib
import re
from typing import Optional

from policyc.compile.applicability import applicability
from policyc.errors import Position, Problems, locate
from policyc.model import ModelPolicy, Overlay, Project, School, walk_blocks
from policyc.source.load import as_section, ids_of, texts
from policyc.text.placeholders import FILTERS, PLACEHOLDER, declare_role, references, suggest, uses, well_formed


def written_reasons(sections, policy: ModelPolicy, overlay: Overlay) -> dict[str, tuple[str, str, Position]]:
    """Why each clause or section changed, as this school's text has it, and where that is
    written: on the clause (the model's, or the overlay's own replacement), or in the model's
    `reasons:`, or in the overlay's, which has the last word."""
    found: dict[str, tuple[str, str, Position]] = {}
    def visit(clauses) -> None:
        for clause in clauses:
            if clause.change:
                found[clause.id] = (*clause.change, clause.change_at or clause.position)
            visit(clause.body.clauses)
            for _, body in clause.choices:
                if body is not None:
                    visit(body.clauses)
    for section in sections:
        if section.change:
            found[section.id] = (*section.change, section.change_at or section.position)
        visit(section.clauses)
    for item_id, why, by in policy.reasons:
        found[item_id] = (why, by, policy.at(f"reasons.{item_id}"))
    written = dict(overlay.reasons_at)
    for item_id, why, by in overlay.reasons:
        found[item_id] = (why, by, written.get(item_id, overlay.position))
    return found

def check_reasons(sections, policy: ModelPolicy, overlay: Overlay, table: dict, school: School,
                   project: Project, problems: Problems) -> None:
    """A reason's placeholders are checked as a clause's are, for this school's names; its
    Markdown was checked with the policy (source/check.py)."""
    known = sorted(table)
    for item_id, (why, by, where) in sorted(written_reasons(sections, policy, overlay).items()):
        context = f" (in the reason for changing {item_id!r})"
        for text in (why, by):
            for use in uses(text):
                raw = use if isinstance(use, str) else use.raw
                if isinstance(use, str):
                    _not_placeholder(use, locate(where, raw), context, problems, known)
                elif use.name not in table:
                    _unknown(use.name, locate(where, raw), known, table, school, context, problems,
                             project.trust.source)

class _Consulted(dict):
    """The other policies, noting each one asked about (and all of them when walked)."""

    def __init__(self, policies: dict, noted: set) -> None:
        super().__init__(policies)
        self.noted = noted

    def __contains__(self, policy_id: object) -> bool:
        self.noted.add(policy_id)
        return dict.__contains__(self, policy_id)

    def __getitem__(self, policy_id: str) -> ModelPolicy:
        self.noted.add(policy_id)
        return dict.__getitem__(self, policy_id)

    def items(self):
        self.noted.add("*")
        return dict.items(self)

def check_names(parts, policy: ModelPolicy, table: dict, school: School, overlay: Overlay,
                 project: Project, problems: Problems, consulted: Optional[set] = None) -> None:
    """Every placeholder must be a known name for this school; every reference must exist.

    Every text that is filled in is checked, not only clauses: a name missing when the
    page is rendered would be a crash, not a message.
    """
    present = {p.id for p in parts} | {b.id for p in parts for b in walk_blocks(p.blocks)}
    removed_by = _removed_by(policy, overlay)
    anywhere = set(ids_of(policy.sections)) | {i for a in overlay.add for i in ids_of([a.section or as_section(a.clause)])}
    known = sorted(table)
    trust = project.trust
    others = {p.id: p for p in project.policies if p.id != policy.id}
    if consulted is not None:
        others = _Consulted(others, consulted)

    def check(text: str, start: Position, what: str, checked: bool = True, extra: tuple = ()) -> None:
        # checked: check has already looked at this text's references against the model
        context = "" if checked else f" (in {what})"
        for use in uses(text):
            raw = use if isinstance(use, str) else use.raw
            if isinstance(use, str):
                _not_placeholder(use, locate(start, raw), context, problems, known)
            elif use.name not in table and use.name not in extra:
                _unknown(use.name, locate(start, raw), known, table, school, context, problems, trust.source)
        for ref in references(text):
            if ref in present:
                continue
            where = locate(start, ref if ref.startswith("[[") else f"[[{ref}]]")
            if ref.partition("#")[0] in others:
                _check_policy_reference(ref, where, others, school, context, problems)
            elif ref in removed_by:
                item, at = removed_by[ref]
                problems.error(at, f"this removes {item!r}, but [[{ref}]] in {what} refers to "
                               + ("it" if item == ref else f"{ref!r} inside it"),
                               f"the reference is at {where}; keep {item!r}, or replace what refers to it")
            elif ref in anywhere:
                problems.error(where, f"[[{ref}]] refers to a clause that is not in {school.name or school.slug}'s policy"
                               + context, f"check remove:, phases: and options in {school.source}")
            elif not checked:
                written = ref if ref.startswith("[[") else f"[[{ref}]]"
                problems.error(where, f"the cross-reference {written} names no clause or section" + context,
                               "write [[ID]] with the id of a clause or section in this policy")

    for part in parts:
        check(part.title, part.position, f"the title of the section {part.id!r}")
        check(part.contents_title, part.position, f"the contents title of the section {part.id!r}", checked=False)
        for block in walk_blocks(part.blocks):
            for text in texts(block.body):
                check(text, block.position, f"the clause {block.id!r}")
    check(policy.subtitle, policy.at("subtitle"), "the subtitle", checked=False)
    check(policy.preamble, policy.at("preamble"), "the preamble", checked=False)
    check(policy.opening, policy.at("opening"), "the opening text", checked=False)
    check(policy.contents.note, policy.at("contents.note"), "the contents note", checked=False)
    for i, entry in enumerate(policy.history):
        check(entry.summary, policy.at(f"history.{i}"), f"the history entry of {entry.date.isoformat()}", checked=False)
    for entry in overlay.history:
        check(entry.summary, overlay.position, f"the history entry of {entry.date.isoformat()}", checked=False)
    own_rows = dict(policy.layout).get("rows")
    for i, row in enumerate(own_rows or trust.ratification_block):
        extra = ("signatory.role", "signatory.name") if row.value == "signatory" else ()
        where = policy.at(f"layout.rows.{i}") if own_rows else trust.row_at(i)
        for text in (row.label, *row.roles, row.after):
            check(text, where, "the ratification block", checked=False, extra=extra)

def check_title_and_values(policy: ModelPolicy, overlay: Overlay, table: dict, school: School,
                            problems: Problems) -> None:
    """The title and values reach the heading, the footer and the PDF's metadata: their
    placeholders are checked like a clause's, against the names that are not themselves
    filled in from them."""
    plain = {k: v for k, v in table.items() if k != "policy.title" and not k.startswith("value.")}
    known = sorted(plain)
    texts = [(overlay.title or policy.title, overlay.position if overlay.title else policy.at("title"), "the title")]
    for key in (k for k in table if k.startswith("value.")):
        name = key.split(".", 1)[1]
        given_by_school = any(n == name for n, _ in school.values + overlay.values)
        where = Position(school.source) if given_by_school else policy.at(f"values.{name}")
        texts.append((table[key], where, f"the value {name!r}"))
    for text, start, what in texts:
        for use in uses(text):
            raw = use if isinstance(use, str) else use.raw
            if isinstance(use, str):
                _not_placeholder(use, locate(start, raw), f" (in {what})", problems, known)
            elif use.name not in plain:
                _unknown(use.name, locate(start, raw), known, plain, school, f" (in {what})", problems)
        for ref in references(text):
            written = ref if ref.startswith("[[") else f"[[{ref}]]"
            problems.error(locate(start, written), f"{written} cannot be used in {what}",
                           "a cross-reference belongs in clause text")

def _check_policy_reference(ref: str, where: Position, others: dict, school: School, context: str,
                            problems: Problems) -> None:
    """[[policy]] or [[policy#clause]]: the school must have that policy, and that clause in it."""
    policy_id, _, clause_id = ref.partition("#")
    other = others[policy_id]
    has = applicability(other, school)
    if not has.applies:
        have = sorted(p for p, m in others.items() if applicability(m, school).applies)
        close = difflib.get_close_matches(policy_id, have, n=1)
        problems.error(where, f"[[{ref}]] refers to the {other.title}, which {school.name or school.slug} does not have "
                       f"({has.reason})" + context,
                       f"did you mean [[{close[0]}]]?" if close else "refer to a policy the school has")
        return
    if clause_id:
        overlay = school.overlay(policy_id) or Overlay(policy_id, Position(school.source))
        gone = _removed_by(other, overlay)
        if clause_id in gone:
            problems.error(where, f"[[{ref}]] refers to {clause_id!r}, which {school.name or school.slug}'s {other.title} "
                           f"leaves out" + context, f"it is removed at {gone[clause_id][1]}")

def _removed_by(policy: ModelPolicy, overlay: Overlay) -> dict[str, tuple[str, Position]]:
    """Each id the school's remove: leaves out, with the entry that removes it (itself or a parent)."""
    gone: dict[str, tuple[str, Position]] = {}
    removed = dict(overlay.remove)
    def visit(item_id: str, clauses, by) -> None:
        by = by or ((item_id, removed[item_id]) if item_id in removed else None)
        if by:
            gone[item_id] = by
        for clause in clauses:
            children = clause.body.clauses + tuple(c for _, ch in clause.choices if ch for c in ch.clauses)
            visit(clause.id, children, by)
    for section in policy.sections:
        visit(section.id, section.clauses, None)
    return gone

def _not_placeholder(raw: str, where: Position, context: str, problems: Problems, known: list[str]) -> None:
    filtered = re.match(r"^\{\{\s*[a-z]+\.[a-z0-9][a-z0-9_-]*\s*\|\s*(.*?)\s*\}\}$", raw, re.S)
    fixed = well_formed(raw)
    name = fixed[3:-3].split(" | ")[0] if fixed else ""
    if fixed and name not in known:
        close = difflib.get_close_matches(name, known, n=1)
        fixed = fixed.replace(name, close[0]) if close else ""
    if raw in ("{{", "}}"):
        problems.error(where, (f"{raw} opens a placeholder that is never closed with }}}}" if raw == "{{" else
                               f"{raw} closes a placeholder that was never opened with {{{{") + context,
                       "write a placeholder as {{ school.name }}, with two braces on each side")
    elif not PLACEHOLDER.fullmatch(raw):
        problems.error(where, f"{raw} is not a well-formed placeholder" + context,
                       f"write {fixed}" if fixed else
                       "write a placeholder as {{ school.name }}: two braces on each side and a name in lower case")
    elif fixed and not filtered:
        problems.error(where, f"{raw} is not a placeholder: names are written in lower case" + context,
                       f"write {fixed}")
    elif filtered:
        problems.error(where, f"{raw} uses the filter {filtered.group(1)!r}, which does not exist" + context,
                       f"the filters are: {', '.join(sorted(FILTERS))}")
    else:
        problems.error(where, f"{raw} is not a placeholder" + context,
                       "write a name such as {{ school.name }}; placeholders cannot compute anything")

def _unknown(name: str, where: Position, known: list[str], table: dict, school: School,
             context: str, problems: Problems, trust_file: str = "trust.yaml") -> None:
    group, _, key = name.partition(".")
    if group == "holder" and f"role.{key}" in known:
        problems.error(where, f"{{{{ {name} }}}} needs the name of {school.name or school.slug}'s {table[f'role.{key}']}"
                       + context, f"add {key}: {{name: ...}} under roles: in {school.source}")
    elif name == "school.phase":
        problems.error(where, f"{{{{ {name} }}}} is used but {school.name or school.slug} gives no phase" + context,
                       f"add phase: primary (or another phase) to {school.source}")
    elif group == "trust" and key in ("name", "short_name"):
        problems.error(where, f"{{{{ {name} }}}} is used but trust.yaml gives no name" + context,
                       "add name: ... to trust.yaml")
    elif group == "school" and key in ("name", "short_name"):
        problems.error(where, f"{{{{ {name} }}}} is used but {school.source} gives no name" + context,
                       f"add name: ... to {school.source}")
    elif group == "school" and key == "website":
        problems.error(where, f"{{{{ {name} }}}} is used but {school.name or school.slug} has no website" + context,
                       f"add website: https://... to {school.source}")
    elif group == "role" and not suggest(name, known):
        problems.error(where, f"unknown placeholder {{{{ {name} }}}}: the trust has no role {key!r}" + context,
                       declare_role(key, trust_file))
    else:
        problems.error(where, f"unknown placeholder {{{{ {name} }}}}" + context, suggest(name, known))
