"""Which model policies each school has: by the policy's phases, or the school's own choice."""

from __future__ import annotations

import difflib
from dataclasses import dataclass

from policyc.errors import Problems
from policyc.model import ModelPolicy, Project, School

PHASE_WORDS = {"alternative-provision": "alternative provision", "sixth-form": "sixth form"}


@dataclass(frozen=True)
class Applicability:
    school_slug: str
    policy_id: str
    applies: bool
    reason: str  # why not (or why, when a school opted in); "" when it simply applies


def applicability(policy: ModelPolicy, school: School) -> Applicability:
    """A school's own applies: true/false wins; else the policy's phases decide. A school
    that gives no phase has every policy: nothing says otherwise."""
    overlay = school.overlay(policy.id)
    if overlay is not None and overlay.applies is not None:
        why = overlay.reason or ("opted in" if overlay.applies else "opted out")
        return Applicability(school.slug, policy.id, overlay.applies, why)
    if policy.schools and school.slug not in policy.schools:
        return Applicability(school.slug, policy.id, False, f"for {_school_list(policy.schools)} only")
    if policy.phases and school.phase and school.phase not in policy.phases:
        return Applicability(school.slug, policy.id, False, f"for {phase_list(policy.phases)} schools only")
    return Applicability(school.slug, policy.id, True, "")


def coverage(project: Project) -> list[Applicability]:
    """Every school against every model policy, in source order."""
    return [applicability(p, s) for s in project.schools for p in project.policies]


def phase_list(phases: tuple[str, ...]) -> str:
    words = [PHASE_WORDS.get(p, p) for p in phases]
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


def _school_list(slugs: tuple[str, ...]) -> str:
    return slugs[0] if len(slugs) == 1 else ", ".join(slugs[:-1]) + " and " + slugs[-1]


def check_schools_named(project: Project, problems: Problems) -> None:
    """Every school a policy's applies_to: schools: names is one of the trust's."""
    slugs = [s.slug for s in project.schools]
    for policy in project.policies:
        for i, slug in enumerate(policy.schools):
            if slug not in slugs:
                close = difflib.get_close_matches(slug, slugs, n=1, cutoff=0.6)
                problems.error(policy.at(f"applies_to.schools.{i}"),
                               f"applies_to: schools: names {slug!r}, which is not one of the trust's schools",
                               f"did you mean {close[0]!r}?" if close else
                               f"the schools are the files in schools/: {', '.join(slugs) or 'none yet'}")
