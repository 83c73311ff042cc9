"""History: ratified snapshots give each policy its state, its record and its change log."""

from __future__ import annotations

from dataclasses import dataclass
from dataclasses import replace as copy
from pathlib import Path
from typing import Optional

from policyc.errors import Problems, UsageError
from policyc.history.compare import change_kind, compare, propose_version
from policyc.history.snapshot import Snapshot, load_snapshots, same_text
from policyc.model import ChangeEntry, ResolvedPolicy


@dataclass(frozen=True)
class PolicyHistory:
    current: ResolvedPolicy  # the text as the sources give it now, with record and change log
    snapshots: tuple[Snapshot, ...]
    changed_since: Optional[Snapshot] = None  # the last ratified version, when the text has moved on
    proposed_version: str = ""

    @property
    def in_force(self) -> Optional[ResolvedPolicy]:
        """The text the school's governors last ratified, with its own change log; None if never ratified.

        This is what the school publishes, whatever the state of the sources: an edit to
        the model changes the draft, never the public page, until it is ratified.
        """
        if self.snapshots:
            # Always the snapshot, whether or not the sources have moved on since, so the
            # public page and PDF are the same object before and after a model edit (and their
            # cache keys do not change for something they do not show). The month of issue is
            # the sources' own: snapshots do not record it.
            latest = self.snapshots[-1].policy
            log = tuple(e for e in self.current.history if e.date is not None)
            issued = self.current.ratification.issued
            return copy(latest, ratification=copy(latest.ratification, issued=issued), history=log)
        if self.current.ratification.status in ("ratified", "adopted"):
            return self.current
        return None

    @property
    def pending(self) -> bool:
        """The sources hold a text not yet ratified: a draft, an approved text or a change."""
        if self.snapshots:
            return self.changed_since is not None
        return self.current.ratification.status not in ("ratified", "adopted")


def attach_history(policy: ResolvedPolicy, root: Path, problems: Problems,
                   snapshots: Optional[tuple] = None) -> PolicyHistory:
    """The policy's ratified record and where the policy stands against it. `snapshots`: its
    snapshots as load_snapshots gives them, when the caller has them already (serve's session)."""
    if snapshots is None:
        snapshots = tuple(load_snapshots(root, policy, problems))
    if not snapshots:
        return PolicyHistory(policy, ())
    latest = snapshots[-1]
    log = change_log(snapshots, policy)
    if same_text(latest.policy, policy):
        record = latest.policy.ratification
        current = copy(policy, ratification=copy(record, issued=policy.ratification.issued), history=log)
        return PolicyHistory(current, snapshots)
    comparison = compare(latest.policy, policy)
    proposed = propose_version(latest.version, change_kind(comparison))
    why = comparison.reason_summary()
    pending = ChangeEntry(None, f"Changes awaiting ratification (proposed version {proposed or 'to be decided'})"
                                + (f": {why}." if why else "."),
                          comparison.affected_paragraphs(), proposed, comparison.proposers())
    draft = copy(policy.ratification, status="draft", date=None, signatories=(), minute="",
                 version=f"{proposed} (draft)" if proposed else "", next_review=None)
    current = copy(policy, ratification=draft, history=(pending,) + log, in_force=latest.version)
    return PolicyHistory(current, snapshots, latest, proposed)


def change_log(snapshots: tuple[Snapshot, ...], policy: ResolvedPolicy) -> tuple[ChangeEntry, ...]:
    """One row per ratified version, paragraphs computed clause by clause; legacy rows merged by date."""
    rows = list(policy.history)
    previous: Optional[Snapshot] = None
    for snap in snapshots:
        paragraphs = compare(previous.policy, snap.policy).affected_paragraphs() if previous else "All (first version recorded)"
        rows.append(ChangeEntry(snap.date, snap.summary, paragraphs, snap.version, _owner(snap)))
        previous = snap
    return tuple(sorted(rows, key=lambda e: (e.date is not None, e.date), reverse=True))


def _owner(snap: Snapshot) -> str:
    """Who made the change, as given at ratification; failing that, the first signatory."""
    signatories = snap.policy.ratification.signatories
    return snap.owner or (signatories[0].name if signatories else "")


def find(histories: list[PolicyHistory], school: str, policy: str) -> PolicyHistory:
    """The history of one school's copy of one policy, as the command line names them."""
    for history in histories:
        if history.current.school_slug == school and history.current.policy_id == policy:
            return history
    raise UsageError(f"no policy {policy!r} for school {school!r}")


def sibling_pages(histories: list[PolicyHistory]) -> dict[str, list[list]]:
    """For each school, each of its policies with whether it has a public page (a version in
    force) and whether it has one in the review area (a text awaiting ratification): a
    policy page's links to its siblings go where these are. Writers place the links from
    this, and keys hold it, so the two cannot disagree."""
    pages: dict[str, list[list]] = {}
    for history in histories:
        current = history.current
        pages.setdefault(current.school_slug, []).append(
            [current.policy_id, history.in_force is not None, bool(history.pending)])
    return pages

