"""The list of outputs, computed before anything is rendered.

Why a plan: a build writes nothing until every source is checked, and later an
incremental build or a pool of workers needs the same list to decide what to do.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Optional

from policyc.history.attach import PolicyHistory
from policyc.history.compare import compare
from policyc.history.ratify import next_version
from policyc.model import ResolvedPolicy
from policyc.outputs.formats import get as get_format
from policyc.outputs.layout import (ASSETS, BOARD, BUNDLE_FILES, COMPLIANCE, DASHBOARD, TRUST_CALENDAR, TRUST_INDEX, archive_path,
                                   pack_path, public_path, redline_path, review_path, school_assets, school_file)


@dataclass(frozen=True)
class Output:
    path: str  # relative to the output folder, always with forward slashes: see layout.py
    format: str  # a key of pipeline.WRITERS: a format's name (formats.py), redline-/pack- and one, or a site file
    policy: Optional[ResolvedPolicy] = None
    school: str = ""
    history: Optional[PolicyHistory] = None
    members: tuple = ()  # a trust board's review pack: (school name, version in force, proposed version) of each school

    @property
    def phase(self) -> str:
        """When a build writes it: ASSETS first (the stylesheet and fonts pages link to), then
        each DOCUMENT (a policy's page, PDF, Word file, redline or pack), then the SITE
        around them (indexes, registers, dashboard, calendars), which is told their sizes."""
        if self.format == "assets":
            return ASSETS_PHASE
        return DOCUMENT if self.policy is not None else SITE


ASSETS_PHASE, DOCUMENT, SITE = "assets", "document", "site"


def plan_outputs(histories: list[PolicyHistory], formats: tuple[str, ...],
                 schools: Optional[set] = None, policy_ids: Optional[set] = None) -> list[Output]:
    """Every file the build writes; `schools`/`policy_ids` narrow which policies are rendered."""
    outputs = [Output(ASSETS, "assets")]
    rows = [get_format(name) for name in formats]
    policies = [h.current for h in histories]
    boards: dict[str, list[PolicyHistory]] = {}  # policy id -> the schools awaiting the board's decision
    for history in histories:
        policy = history.current
        if schools and policy.school_slug not in schools:
            continue
        if policy_ids and policy.policy_id not in policy_ids:
            continue
        in_force = history.in_force
        for row in rows:
            if in_force is not None:
                outputs.append(Output(public_path(policy, row.suffix), row.name, in_force, history=history))
            if history.pending:
                outputs.append(Output(review_path(policy, row.suffix), row.name, policy, history=history))
        later = [s.version for s in history.snapshots[1:]] + [""]
        for snap, successor in zip(history.snapshots, later):
            archived = snap.policy if not successor else _superseded(snap.policy, successor)
            for row in rows:
                outputs.append(Output(archive_path(policy, snap.version, row.suffix), row.name, archived,
                                      history=history))
        if history.changed_since:
            for row in rows:
                if row.redline:
                    outputs.append(Output(redline_path(history, row.suffix), f"redline-{row.name}", policy,
                                          history=history))
        if history.pending and policy.approver == "trust":
            boards.setdefault(policy.policy_id, []).append(history)
        elif history.pending:
            for row in rows:
                if row.pack:
                    outputs.append(Output(pack_path(policy, row.suffix), f"pack-{row.name}", _pack_view(history),
                                          history=history))
    for waiting in boards.values():  # one pack for the board, with the text of a school that has a version in force
        first = next((h for h in waiting if h.changed_since), waiting[0])
        members = _board_members(waiting, first)
        for row in rows:
            if row.pack:
                outputs.append(Output(pack_path(first.current, row.suffix), f"pack-{row.name}", _pack_view(first),
                                      BOARD, first, members))
    # The bundle around the documents, always: indexes and registers cover every school.
    for slug in dict.fromkeys(p.school_slug for p in policies):
        outputs.append(Output(school_assets(slug), "assets", school=slug))
        for name, kind in BUNDLE_FILES:
            outputs.append(Output(school_file(slug, name), kind, school=slug))
    outputs.append(Output(TRUST_INDEX, "trust-index"))
    outputs.append(Output(DASHBOARD, "dashboard"))
    outputs.append(Output(COMPLIANCE, "compliance"))  # the trust's own: never in a school's bundle
    outputs.append(Output(TRUST_CALENDAR, "calendar-trust"))
    return outputs


def _board_members(waiting: list[PolicyHistory], shown: PolicyHistory) -> tuple:
    """(school name, version in force, proposed version, how its changes differ from those the
    pack marks in `shown`'s copy) for each school awaiting the board: "" where they are the
    same changes (in that school's own names and numbers), else that copy's own list, so the
    board never approves a change it was not shown."""
    marked = compare(shown.changed_since.policy, shown.current).footprint() if shown.changed_since else None
    members = []
    for h in waiting:
        if h.changed_since is None:
            differs = "" if marked is None else "the first version: the whole policy"
        else:
            theirs = compare(h.changed_since.policy, h.current)
            differs = "" if theirs.footprint() == marked else theirs.affected_paragraphs()
        members.append((h.current.school_name, h.changed_since.version if h.changed_since else "",
                        h.proposed_version or next_version(h), differs))
    return tuple(members)


def _pack_view(history: PolicyHistory) -> ResolvedPolicy:
    """What a review pack shows of the proposed text: all of it, as the redline or, for a
    first version, as the policy itself (so the clerk sends one document, not two)."""
    return history.current


def _superseded(policy: ResolvedPolicy, successor: str) -> ResolvedPolicy:
    return replace(policy, superseded_by=successor)
