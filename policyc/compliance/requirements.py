"""The requirements a school is checked against: the Department for Education's lists, shipped
with policyc and dated, and the trust's own (trust.yaml compliance.requirements)."""

from __future__ import annotations

import datetime as dt
import difflib
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path

import yaml

from policyc.errors import Position, Problems
from policyc.model import Project, Requirement, School, Trust
from policyc.source.load import requirement_of
from policyc.text.review_dates import cycle_months

LIST_FILE = Path(__file__).with_name("statutory.yaml")
LEVELS = ("board", "committee", "governor", "headteacher")  # highest first
TYPES = ("maintained", "academy", "free-school")


@dataclass(frozen=True, kw_only=True)
class Source:
    key: str
    title: str
    url: str
    updated: dt.date | None = None


@dataclass(frozen=True, kw_only=True)
class RequirementList:
    title: str
    checked: dt.date
    sources: tuple[Source, ...]
    requirements: tuple[Requirement, ...]

    def source(self, key: str) -> Source | None:
        return next((s for s in self.sources if s.key == key), None)


@lru_cache(maxsize=1)
def statutory() -> RequirementList:
    """The shipped list. A test checks it against the schema and its sources; here a broken
    file is a bug in policyc, so it fails loudly."""
    data = yaml.safe_load(LIST_FILE.read_text(encoding="utf-8"))
    sources = tuple(Source(key=k, title=v["title"], url=v["url"], updated=v.get("updated"))
                    for k, v in data["sources"].items())
    return RequirementList(title=data["title"], checked=data["checked"], sources=sources,
                           requirements=tuple(requirement_of(r, None) for r in data["requirements"]))


def every_requirement(trust: Trust) -> dict[str, Requirement]:
    """The statutory list with the trust's own requirements after it, and the trust's tighter
    review cycles applied."""
    found = {r.id: r for r in statutory().requirements}
    for own in trust.compliance.requirements:
        found.setdefault(own.id, own)
    tighter = {key: cycle for key, cycle, _ in trust.compliance.review}
    return {k: (replace(r, review=tighter[k]) if k in tighter else r) for k, r in found.items()}


def applies(requirement: Requirement, school: School) -> bool:
    """Whether a school must meet it. A school that does not say its type is held only to the
    requirements for every kind of school."""
    if requirement.types and set(requirement.types) != set(TYPES) and school.type not in requirement.types:
        return False
    if requirement.phases and school.phase not in requirement.phases:
        return False
    if requirement.boarding and not school.boarding:
        return False
    if requirement.sixth_form and not (school.sixth_form or school.phase == "sixth-form"):
        return False
    return True


def months(cycle: str) -> int | None:
    """A cycle's length in months; None for a live document or none set."""
    return cycle_months(cycle) if cycle and cycle != "live" else None


def check_references(project: Project, problems: Problems) -> None:
    """Every requirement id a source names exists: `meets:` in a policy, `elsewhere:` in a
    school, and the trust's `compliance:` check list and review cycles. The trust's own
    requirements do not reuse a statutory id, and a review cycle may only be tightened."""
    shipped = {r.id: r for r in statutory().requirements}
    trust = project.trust
    for own in trust.compliance.requirements:
        if own.id in shipped:
            problems.error(own.position, f"{own.id!r} is already a statutory requirement "
                           f"({shipped[own.id].name})",
                           f"to review it more often, write it under compliance: review: {own.id}: CYCLE; "
                           "give a requirement of the trust's own a new id")
    known = every_requirement(trust)
    where_trust = Position(trust.source)

    def must_exist(req_id: str, where: Position, what: str) -> None:
        if req_id in known:
            return
        close = difflib.get_close_matches(req_id, list(known), n=1, cutoff=0.6)
        problems.error(where, f"{what} names {req_id!r}, which is not a requirement policyc knows",
                       f"did you mean {close[0]!r}?" if close else
                       "see 'policyc compliance --list' for the ids, or add it to trust.yaml compliance: "
                       "requirements:")

    for i, req_id in enumerate(trust.compliance.check):
        must_exist(req_id, trust.compliance.at(f"check.{i}", where_trust), "compliance: check:")
    for req_id, cycle, where in trust.compliance.review:
        must_exist(req_id, where, "compliance: review:")
        base = shipped.get(req_id)
        if base is None:
            continue
        if base.review == "live":
            problems.error(where, f"{base.name} is a live document, kept up to date as things change, "
                           "so it has no review cycle to tighten", "remove this line")
        elif base.review and cycle_months(cycle) > cycle_months(base.review):
            problems.error(where, f"{cycle} is less often than the {base.review} review the guidance "
                           f"sets for {base.name}", "a trust may review more often, never less")
    for policy in project.policies:
        for i, req_id in enumerate(policy.meets):
            must_exist(req_id, policy.at(f"meets.{i}"), f"the policy {policy.id}'s meets:")
    for school in project.schools:
        for item in school.elsewhere:
            must_exist(item.requirement, item.position, "elsewhere:")
