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


class Targets(tuple):
    """A school's targets in the order of its policies, each policy's together, with where
    each policy's own begin and end (`spans`), so a policy's links are two slices."""

    spans: dict[str, tuple[int, int]]


def link_targets(policies: list[ResolvedPolicy]) -> dict[str, Targets]:
    """For each school, every policy and clause [[...]] may name: (id, words, page)."""
    by_school: dict[str, list[ResolvedPolicy]] = {}
    for policy in policies:
        by_school.setdefault(policy.school_slug, []).append(policy)
    targets = {}
    for slug, siblings in by_school.items():
        found, spans = [], {}
        for other in siblings:
            start = len(found)
            found.extend(_targets_in(other))
            spans[other.policy_id] = (start, len(found))
        targets[slug] = Targets(found)
        targets[slug].spans = spans
    return targets


_MADE: dict[int, tuple[ResolvedPolicy, tuple]] = {}  # by policy, kept with it: serve asks again for the same ones


def _targets_in(other: ResolvedPolicy) -> tuple:
    held = _MADE.get(id(other))
    if held is None or held[0] is not other:
        if len(_MADE) > 1 << 15:
            _MADE.clear()
        page = f"{other.policy_id}.html"
        found = [(other.policy_id, other.title, page)]
        for item_id, (number, title) in anchors(other).items():
            words = f"{number} of the {other.title}" if number else f"‘{title or item_id}’ in the {other.title}"
            found.append((f"{other.policy_id}#{item_id}", words, f"{page}#{item_id}"))
        held = _MADE[id(other)] = (other, tuple(found))
    return held[1]


def own_links(policy: ResolvedPolicy, targets: dict) -> tuple:
    """The targets of `policy`'s school that are not in `policy` itself."""
    found = targets[policy.school_slug]
    span = getattr(found, "spans", {}).get(policy.policy_id)
    if span is None:
        return tuple(t for t in found if t[0].partition("#")[0] != policy.policy_id)
    return found[:span[0]] + found[span[1]:]
