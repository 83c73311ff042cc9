"""Apply a school's overlay to the trust's model: one concrete policy per school."""

from __future__ import annotations

import difflib
import re
from dataclasses import replace as copy
from typing import Optional

from policyc.compile.applicability import applicability
from policyc.errors import Position, Problems, locate
from policyc.model import (
    Block,
    Clause,
    ClauseBody,
    ModelPolicy,
    Overlay,
    Part,
    Project,
    Ratification,
    ResolvedPolicy,
    School,
    Section,
)
from policyc.source.load import as_section, ids_of, texts
from policyc.text.placeholders import FILTERS, PLACEHOLDER, declare_role, fill, references, suggest, uses, well_formed
from policyc.text.dates import parse_written
from policyc.text.review_dates import cycle_months, next_review_date

PHASE_NAMES = {"alternative-provision": "alternative provision", "all-through": "all-through",
               "sixth-form": "sixth form"}


def resolve_all(project: Project, problems: Problems, schools: Optional[set] = None,
                policies: Optional[set] = None) -> list[ResolvedPolicy]:
    result = []
    for school in project.schools:
        if schools and school.slug not in schools:
            continue
        for policy in project.policies:
            if policies and policy.id not in policies:
                continue
            if not applicability(policy, school).applies:
                continue
            resolved = resolve_policy(project, policy, school, problems)
            if resolved:
                result.append(resolved)
    return result


def placeholder_table(project: Project, policy: ModelPolicy, school: School,
                      overlay: Optional[Overlay], body: str) -> dict[str, str]:
    """The fixed set of names a clause may use for this school, and their values."""
    trust = project.trust
    table = {
        "body.name": body,
        "policy.title": (overlay.title if overlay and overlay.title else policy.title),
    }
    if school.name or school.short_name:  # optional: a setting's own documents may name none
        table["school.name"] = school.name or school.short_name
        table["school.short_name"] = school.short_name or school.name
    if school.phase:  # optional: a school's own document may not say
        table["school.phase"] = PHASE_NAMES.get(school.phase, school.phase)
    if trust.name:
        table["trust.name"] = trust.name
        table["trust.short_name"] = trust.short_name or trust.name
    if school.website:
        table["school.website"] = school.website
    holders = dict(school.roles)
    for key, title in trust.roles:
        holder = holders.get(key)
        table[f"role.{key}"] = holder.title if holder and holder.title else title
        if holder and holder.name:
            table[f"holder.{key}"] = holder.name
    for key, word in trust.terms + school.terms:
        table[f"term.{key}"] = word
    values = policy.values + trust.values + school.values + (overlay.values if overlay else ())
    for key, value in values:
        table[f"value.{key}"] = value
    return table


def approving_body(project: Project, policy: ModelPolicy, school: School) -> str:
    """Who approves this policy for this school: named on the policy, else the trust board
    for a trust-approved policy, else the school's own body."""
    if policy.approving_body:
        return policy.approving_body
    if policy.approver == "trust":
        return project.trust.board
    return school.approving_body or project.trust.approving_body


def resolve_policy(project: Project, policy: ModelPolicy, school: School,
                   problems: Problems, consulted: Optional[set] = None) -> Optional[ResolvedPolicy]:
    """`consulted`, when given, gets the id of every other model policy the result depends
    on (one a [[reference]] names, or looked for and not found), and "*" when it depends on
    all of them: what a serve session must compare before it reuses the result."""
    overlay = school.overlay(policy.id) or Overlay(policy.id, Position(school.source))
    ratification = overlay.ratification
    body = ratification.body or approving_body(project, policy, school)
    table = placeholder_table(project, policy, school, overlay, body)
    choices = {o.id: dict(o.choices) for o in policy.options}
    chosen = {o.id: o.default for o in policy.options}
    # A choice that does not exist is reported by check; keep the default rather than lose the clause.
    chosen.update({k: v for k, v, _ in overlay.options if v in choices.get(k, {})})

    sections = _apply_overlay(policy.sections, overlay)
    default_list = "letter" if policy.numbering == "1.1 (a)" else "bullet"
    parts = []
    for section in sections:
        if section.phases and school.phase not in section.phases:
            continue
        blocks = _blocks(section.clauses, school.phase, chosen, policy.numbering,
                         section.number_clauses, default_list)
        parts.append(Part(section.id, section.kind, section.title, blocks, section.position,
                          section.numbered and policy.numbering != "none", section.origin,
                          contents_title=section.contents_title))

    found = Problems()  # counted apart: Problems reports a repeated problem once
    _check_title_and_values(policy, overlay, table, school, found)
    if not found.errors:
        _fill_title_and_values(table)
    _check_names(parts, policy, table, school, overlay, project, found, consulted)
    _check_reasons(sections, policy, overlay, table, school, project, found)
    problems.extend(found)
    if found.errors:
        return None
    # A policy adopted as its document stands has only the review its document states: no cycle is assumed.
    review_cycle = ratification.review_cycle or policy.review_cycle or (
        "" if ratification.status == "adopted" else "annually")
    ratification = copy(ratification, body=body, review_cycle=review_cycle,
                        meeting=ratification.meeting or policy.meeting)
    if not ratification.next_review:
        ratification = _next_review(ratification)
    layout = copy(project.trust.layout, **dict(policy.layout))
    options = tuple((o.label, chosen[o.id], dict(o.choices)[chosen[o.id]]) for o in policy.options)
    history = tuple(sorted(policy.history + overlay.history, key=lambda e: e.date, reverse=True))
    return ResolvedPolicy(
        policy_id=policy.id, school_slug=school.slug, school_name=school.name, trust_name=project.trust.name,
        title=table["policy.title"], subtitle=policy.subtitle, numbering=policy.numbering,
        contents=policy.contents, preamble=policy.preamble, parts=tuple(parts),
        placeholders=tuple(sorted(table.items())), ratification=ratification, body=body, history=history,
        change_columns=project.trust.change_columns,
        ratification_block=layout.rows or project.trust.ratification_block, options=options,
        sources=(policy.source, school.source),
        approver=policy.approver, layout=layout, opening=policy.opening,
        reasons=_reasons(sections, policy, overlay, table), word_download=project.trust.word_download,
        brand=school.brand.over(project.trust.brand), **_furniture(project, policy, school, table))


def _furniture(project: Project, policy: ModelPolicy, school: School, table: dict) -> dict:
    """What the trust's house style adds to every printed page: the owner, by its title at this
    school, and "Uncontrolled when printed" with the policy's public page when the school says
    where its bundle is published."""
    style = project.trust.house_style
    owner = policy.owner or style.owner
    page = f"{school.publish_url.rstrip('/')}/{policy.id}.html" if school.publish_url else ""
    return {"owner": table.get(f"role.{owner}", "") if owner else "",
            "uncontrolled_note": style.uncontrolled_note, "published_at": page if style.uncontrolled_note else ""}


def _written_reasons(sections, policy: ModelPolicy, overlay: Overlay) -> dict[str, tuple[str, str, Position]]:
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


def _reasons(sections, policy: ModelPolicy, overlay: Overlay, table: dict) -> tuple[tuple[str, str, str], ...]:
    """The reasons with the school's words in place of their placeholders (checked by
    _check_reasons): every page, pack, comment and summary that shows one shows these.
    The reason stays Markdown, its values escaped as in clause text; who proposed it is plain."""
    found = _written_reasons(sections, policy, overlay)
    return tuple((item_id, fill(found[item_id][0], table, lambda i: i),
                  fill(found[item_id][1], table, lambda i: i, markdown=False)) for item_id in sorted(found))


def _check_reasons(sections, policy: ModelPolicy, overlay: Overlay, table: dict, school: School,
                   project: Project, problems: Problems) -> None:
    """A reason's placeholders are checked as a clause's are, for this school's names; its
    Markdown was checked with the policy (source/check.py)."""
    known = sorted(table)
    for item_id, (why, by, where) in sorted(_written_reasons(sections, policy, overlay).items()):
        context = f" (in the reason for changing {item_id!r})"
        for text in (why, by):
            for use in uses(text):
                raw = use if isinstance(use, str) else use.raw
                if isinstance(use, str):
                    _not_placeholder(use, locate(where, raw), context, problems, known)
                elif use.name not in table:
                    _unknown(use.name, locate(where, raw), known, table, school, context, problems,
                             project.trust.source)


def _next_review(r: Ratification) -> Ratification:
    """Computed from the cycle; from a month or year as written, it is written the same way."""
    if not r.review_cycle:
        return r
    written = parse_written(r.shown("date")) if r.shown("date") else None
    if written is None or written.precision == "day":
        return copy(r, next_review=next_review_date(r.date, r.review_cycle))
    due = written.later(cycle_months(r.review_cycle))
    return copy(r, next_review=due.last, written=r.written + (("next_review", due.written),))


def _apply_overlay(sections: tuple[Section, ...], overlay: Overlay) -> list[Section]:
    """Remove, replace and add by id, on the whole model, before phases are applied."""
    removed = {item_id for item_id, _ in overlay.remove}
    replaced = {item.id: item for item in overlay.replace}
    result = []
    for section in sections:
        if section.id in removed:
            continue
        section = replaced.get(section.id, section)
        result.append(copy(section, clauses=_edit(section.clauses, removed, replaced, overlay)))
    for addition in overlay.add:
        if addition.section is None:
            continue
        ids = [s.id for s in result]
        anchor = addition.after or addition.before
        at = len(result) if not anchor or anchor not in ids else ids.index(anchor) + (1 if addition.after else 0)
        result.insert(at, copy(addition.section, clauses=_edit(addition.section.clauses, removed, replaced, overlay)))
    return [_insert_into(s, overlay) for s in result]


def _edit(clauses, removed, replaced, overlay: Overlay) -> tuple[Clause, ...]:
    out = []
    for clause in clauses:
        if clause.id in removed:
            continue
        for addition in overlay.add:
            if addition.clause and addition.before == clause.id:
                out.append(addition.clause)
        clause = replaced.get(clause.id, clause)
        children = _edit(clause.body.clauses, removed, replaced, overlay)
        choices = tuple((k, None if c is None else _with_clauses(c, _edit(c.clauses, removed, replaced, overlay)))
                        for k, c in clause.choices)
        if not _same(children, clause.body.clauses) or not _same([c for _, c in choices], [c for _, c in clause.choices]):
            clause = copy(clause, body=_with_clauses(clause.body, children), choices=choices)
        out.append(clause)
        for addition in overlay.add:
            if addition.clause and addition.after == clause.id:
                out.append(addition.clause)
    return tuple(out)


def _with_clauses(body: ClauseBody, clauses: tuple) -> ClauseBody:
    """The body with these sub-clauses: itself when they are the same ones (most are: copying
    every clause of every school's every policy was a fifth of a build with nothing to render)."""
    return body if _same(clauses, body.clauses) else copy(body, clauses=clauses)


def _same(a, b) -> bool:
    """The same objects, one for one (by identity: comparing clauses by value walks them whole)."""
    return len(a) == len(b) and all(x is y for x, y in zip(a, b))


def _insert_into(section: Section, overlay: Overlay) -> Section:
    if not any(a.clause and a.into for a in overlay.add):
        return section
    def into(clauses):
        out = []
        for clause in clauses:
            extra = tuple(a.clause for a in overlay.add if a.clause and a.into == clause.id)
            body = _with_clauses(clause.body, into(clause.body.clauses) + extra)
            out.append(clause if body is clause.body else copy(clause, body=body))
        return tuple(out)
    extra = tuple(a.clause for a in overlay.add if a.clause and a.into == section.id)
    return copy(section, clauses=into(section.clauses) + extra)


def _blocks(clauses, phase: str, chosen: dict, numbering: str, number_clauses: bool,
            default_list: str) -> tuple[Block, ...]:
    blocks = []
    for clause in clauses:
        if clause.phases and phase not in clause.phases:
            continue
        body: Optional[ClauseBody] = clause.body
        if clause.option:
            body = dict(clause.choices).get(chosen.get(clause.option))
            if body is None:
                continue
        if numbering == "none":
            numbered = False
        elif clause.numbered is not None:
            numbered = clause.numbered
        else:
            numbered = bool(body.title) or (number_clauses and numbering != "1")
        children = _blocks(body.clauses, phase, chosen, numbering, number_clauses, default_list)
        blocks.append(Block(clause.id, body, children, clause.position, numbered,
                            body.list_style or default_list, clause.origin))
    return tuple(blocks)


def walk_blocks(blocks):
    for block in blocks:
        yield block
        yield from walk_blocks(block.children)


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


def _check_names(parts, policy: ModelPolicy, table: dict, school: School, overlay: Overlay,
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


def trust_title(project: Project, policy: ModelPolicy) -> Optional[str]:
    """The model's title as the trust's own pages name it: its placeholders filled with the
    trust's names, roles and terms. A title that names something only a school can say
    (``{{ school.name }}``) has no trust-wide wording; then it is None."""
    trust = project.trust
    table = {f"term.{key}": word for key, word in trust.terms}
    table.update({f"role.{key}": title for key, title in trust.roles})
    if trust.name:
        table["trust.name"] = trust.name
        table["trust.short_name"] = trust.short_name or trust.name
    for use in uses(policy.title):
        if isinstance(use, str) or use.name not in table:
            return None
    return fill(policy.title, table, lambda i: i, markdown=False)


def _check_title_and_values(policy: ModelPolicy, overlay: Overlay, table: dict, school: School,
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


def _fill_title_and_values(table: dict) -> None:
    """Fill the title and values once, so every later use sees the school's words."""
    plain = {k: v for k, v in table.items() if k != "policy.title" and not k.startswith("value.")}
    for key in [k for k in table if k == "policy.title" or k.startswith("value.")]:
        table[key] = fill(table[key], plain, lambda i: i, markdown=False)


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
