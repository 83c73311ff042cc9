"""Policies that know each other: [[policy]] and [[policy#clause]] become the school's own copy."""

from __future__ import annotations

from dataclasses import replace as copy

from policyc.compile.number import anchors
from policyc.model import ResolvedPolicy


def link_policies(policies: list[ResolvedPolicy]) -> list[ResolvedPolicy]:
    """Give each policy the words and link for every sibling policy of its school, and for
    every clause in it, as numbered for that school. Run after numbering, before history."""
    targets = link_targets(policies)
    return [copy(p, policy_links=own_links(p, targets)) for p in policies]


def link_targets(policies: list[ResolvedPolicy]) -> dict[str, list[tuple[str, str, str]]]:
    """For each school, every policy and clause [[...]] may name: (id, words, page)."""
    by_school: dict[str, list[ResolvedPolicy]] = {}
    for policy in policies:
        by_school.setdefault(policy.school_slug, []).append(policy)
    targets = {}
    for slug, siblings in by_school.items():
        found = []
        for other in siblings:
            page = f"{other.policy_id}.html"
            found.append((other.policy_id, other.title, page))
            for item_id, (number, title) in anchors(other).items():
                words = f"{number} of the {other.title}" if number else f"‘{title or item_id}’ in the {other.title}"
                found.append((f"{other.policy_id}#{item_id}", words, f"{page}#{item_id}"))
        targets[slug] = found
    return targets


def own_links(policy: ResolvedPolicy, targets: dict) -> tuple:
    """The targets of `policy`'s school that are not in `policy` itself."""
    return tuple(t for t in targets[policy.school_slug] if t[0].partition("#")[0] != policy.policy_id)
