"""Apply a school's overlay to the trust's model: one concrete policy per school."""

from __future__ import annotations

from dataclasses import replace as copy
from typing import Optional

from policyc.compile.applicability import applicability
from policyc.compile.school_names import check_names, check_reasons, check_title_and_values, written_reasons
from policyc.errors import Position, Problems
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
from policyc.text.placeholders import fill, uses
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
    check_title_and_values(policy, overlay, table, school, found)
    if not found.errors:
        _fill_title_and_values(table)
    check_names(parts, policy, table, school, overlay, project, found, consulted)
    check_reasons(sections, policy, overlay, table, school, project, found)
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


def _reasons(sections, policy: ModelPolicy, overlay: Overlay, table: dict) -> tuple[tuple[str, str, str], ...]:
    """The reasons with the school's words in place of their placeholders (checked by
    _check_reasons): every page, pack, comment and summary that shows one shows these.
    The reason stays Markdown, its values escaped as in clause text; who proposed it is plain."""
    found = written_reasons(sections, policy, overlay)
    return tuple((item_id, fill(found[item_id][0], table, lambda i: i),
                  fill(found[item_id][1], table, lambda i: i, markdown=False)) for item_id in sorted(found))


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


def _fill_title_and_values(table: dict) -> None:
    """Fill the title and values once, so every later use sees the school's words."""
    plain = {k: v for k, v in table.items() if k != "policy.title" and not k.startswith("value.")}
    for key in [k for k in table if k == "policy.title" or k.startswith("value.")]:
        table[key] = fill(table[key], plain, lambda i: i, markdown=False)


