"""Record that an approving body ratified a school's current text: a new snapshot."""

from __future__ import annotations

import datetime as dt
import os
import tempfile
from dataclasses import dataclass
from dataclasses import replace as copy
from pathlib import Path

from policyc.errors import UsageError, UserError
from policyc.history.attach import PolicyHistory
from policyc.history.compare import change_kind, compare, propose_version, walk
from policyc.history.snapshot import Snapshot, dump, path_for, version_key
from policyc.model import Signatory
from policyc.names import PathEscape, version_problem
from policyc.text.review_dates import next_review_date


@dataclass(frozen=True)
class Request:
    date: dt.date
    signatories: tuple[Signatory, ...]
    summary: str
    today: dt.date
    version: str = ""
    minute: str = ""
    body: str = ""
    owner: str = ""


@dataclass(frozen=True)
class Outcome:
    snapshot: Snapshot | None  # None: the text was already ratified, nothing written
    message: str
    path: Path | None = None


def parse_signatory(text: str) -> Signatory:
    name, sep, role = text.partition(",")
    if not sep or not name.strip() or not role.strip():
        raise UsageError(f"--by {text!r}: write the name and the role, such as --by \"Ann Smith, Chair of Governors\"")
    return Signatory(name.strip(), role.strip())


def ratify(history: PolicyHistory, source: Path, request: Request) -> Outcome:
    """Record one school's decision: write its snapshot, or say there is nothing to do."""
    [outcome] = ratify_many([history], source, request)
    return outcome


def ratify_many(histories: list[PolicyHistory], source: Path, request: Request) -> list[Outcome]:
    """One decision recorded for several schools: every snapshot is checked and made before
    any is written, and they are written all or none, so no school is left half-ratified."""
    several = len(histories) > 1
    outcomes = []
    for history in histories:
        try:
            outcomes.append(_prepare(history, source, request))
        except UserError as exc:
            if not several:
                raise
            current = history.current
            raise type(exc)(f"{current.school_name} ({current.school_slug}): {exc}. "
                            "No school's ratification was recorded.") from None
    _write_all([(o.path, dump(o.snapshot)) for o in outcomes if o.snapshot is not None])
    return outcomes


def _prepare(history: PolicyHistory, source: Path, request: Request) -> Outcome:
    current = history.current
    latest = history.snapshots[-1] if history.snapshots else None
    if latest and history.changed_since is None:
        return Outcome(None, f"Version {latest.version} (ratified {latest.date.isoformat()}) already records "
                             f"exactly this text; nothing to do.")
    if request.date > request.today:
        raise UsageError(f"the ratification date {request.date.isoformat()} is in the future")
    if latest and request.date < latest.date:
        raise UsageError(f"the ratification date {request.date.isoformat()} is before the last ratification "
                        f"(version {latest.version}, {latest.date.isoformat()})")
    if not request.signatories:
        raise UsageError("say who signed: --by \"Name, Role\" (repeat for each signatory)")
    comparison = compare(latest.policy, current) if latest else None
    kind = change_kind(comparison)
    version = request.version or next_version(history, kind)
    summary = request.summary.strip() or _from_reasons(comparison)
    if not summary:
        raise UsageError("give a one-line summary of the change: --summary \"...\" (or write the reason for each "
                        "change beside it in the sources, as change: {reason: ..., by: ...})")
    previous = latest.version if latest else (current.ratification.version.replace(" (draft)", "") or None)
    if not version:
        raise UsageError(f"the last version {previous!r} is not numbered like 1.2, so no next number can be "
                        f"proposed: give one with --version")
    problem = version_problem(version)
    if problem:
        raise UsageError(problem)
    if any(s.version == version for s in history.snapshots):
        raise UsageError(f"version {version} already exists; the versions are: "
                        + ", ".join(s.version for s in history.snapshots))
    if latest and version_key(version) <= version_key(latest.version):
        raise UsageError(f"version {version} is not after the last ratified version {latest.version}")

    cycle = current.ratification.review_cycle or "annually"
    record = copy(current.ratification, status="ratified", date=request.date, minute=request.minute,
                  signatories=request.signatories, version=version, body=request.body or current.body,
                  review_cycle=cycle, next_review=next_review_date(request.date, cycle))
    approved = copy(current, ratification=record, history=(), in_force="")
    owner = request.owner.strip() or (comparison.proposers() if comparison else "")
    snap = Snapshot(version, summary, kind, approved, owner=owner)
    try:
        path = path_for(source, current.school_slug, current.policy_id, version)
    except PathEscape:  # snapshots/ (or a folder in it) is a link to somewhere else
        raise UserError(f"the snapshots folder for this policy leads outside the source folder {source}; "
                        "snapshots are kept inside the sources, so replace the link with a real folder") from None
    what = {"first": "first recorded version", "structure": "clauses added or removed",
            "wording": "wording changed", "values": "school details changed only"}[kind]
    detail = f" ({comparison.affected_paragraphs()})" if comparison else ""
    return Outcome(snap, f"Recorded version {version} of {current.title} for {current.school_name}, ratified by "
                         f"the {record.body} on {request.date.isoformat()}: {what}{detail}.", path)


def next_version(history: PolicyHistory, kind: str = "") -> str:
    """The version `ratify` records when none is given: the next after the last snapshot, by
    the kind of change. With no snapshot yet, the school file's own record decides: a draft
    or approved text's version is the one put to the meeting; after a ratified or adopted
    one comes the next; with none, 1.0. "" when the last version is not numbered like 1.2."""
    latest = history.snapshots[-1] if history.snapshots else None
    if latest:
        return propose_version(latest.version, kind or change_kind(compare(latest.policy, history.current)))
    record = history.current.ratification
    written = record.version.replace(" (draft)", "").strip()
    if written and record.status in ("draft", "approved"):
        return written
    return propose_version(written or None, "wording")


def _from_reasons(comparison) -> str:
    """The summary the sources give: the reasons written beside the changes, if every change has one."""
    if comparison is None or not comparison.has_changes:
        return ""
    return comparison.reason_summary() if comparison.reasons() and _all_explained(comparison) else ""


def _all_explained(comparison) -> bool:
    ids = [c.id for c in comparison.clauses.values() if c.affected]
    ids += [s.id for s in comparison.sections.values() if s.kind != "same" or s.moved]
    # A clause inside an added or removed section is explained by the section's reason.
    covered = {s.id for s in comparison.sections.values() if s.kind in ("added", "removed") and comparison.reason(s.id)[0]}
    inside = {b.id for s in comparison.sections.values() if s.id in covered
              for b in walk((s.new or s.old).blocks)}
    return all(comparison.reason(i)[0] or i in inside for i in ids)


def _write_all(files: list[tuple[Path, str]]) -> None:
    """Each snapshot goes to a temporary file beside its place first; only when all are
    written are they moved into place, and a failure part way takes back those already moved."""
    for path, _ in files:
        if path.exists():
            raise UserError(f"{path} already exists; a snapshot is never overwritten")
    temps: list[tuple[str, Path]] = []
    placed: list[Path] = []
    made: list[Path] = []
    try:
        for path, text in files:
            for folder in reversed([path.parent, *path.parent.parents]):
                if not folder.exists():
                    folder.mkdir()
                    made.append(folder)
            handle, temp = tempfile.mkstemp(dir=path.parent, prefix=".snapshot-", suffix=".tmp")
            temps.append((temp, path))
            with os.fdopen(handle, "w", encoding="utf-8") as stream:
                stream.write(text)
        for temp, path in temps:
            os.replace(temp, path)
            placed.append(path)
    except BaseException:
        for path in placed:
            path.unlink(missing_ok=True)
        for temp, _ in temps:
            Path(temp).unlink(missing_ok=True)
        for folder in reversed(made):
            try:
                folder.rmdir()
            except OSError:
                pass
        raise
