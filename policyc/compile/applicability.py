"""Which model policies each school has: by the policy's phases, or the school's own choice."""

from __future__ import annotations

from dataclasses import dataclass

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
    if policy.phases and school.phase and school.phase not in policy.phases:
        return Applicability(school.slug, policy.id, False, f"for {phase_list(policy.phases)} schools only")
    return Applicability(school.slug, policy.id, True, "")


def coverage(project: Project) -> list[Applicability]:
    """Every school against every model policy, in source order."""
    return [applicability(p, s) for s in project.schools for p in project.policies]


def phase_list(phases: tuple[str, ...]) -> str:
    words = [PHASE_WORDS.get(p, p) for p in phases]
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]
