"""Record that an approving body ratified a school's current text: a new snapshot."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from dataclasses import replace as copy
from pathlib import Path
from typing import Optional

from policyc.compile.resolve import trust_title
from policyc.errors import Problems, UsageError, UserError, display_path
from policyc.history.attach import PolicyHistory
from policyc.history.compare import change_kind, compare, propose_version, walk
from policyc.history.snapshot import (
    Snapshot,
    digest,
    dump,
    dump_data,
    path_for,
    version_key,
)
from policyc.model import Project, Signatory
from policyc.names import PathEscape, version_problem
from policyc.source.journal import Write, WriteFailed, publish
from policyc.source.read import load_yaml, parse_yaml
from policyc.source.schema import validate
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
    """One school's part of a decision: the snapshot made and where it goes, or the snapshot
    that already records this text (cli/history.py says which, in words)."""

    snapshot: Snapshot | None  # None: the text was already ratified, nothing written
    path: Path | None = None
    affected: str = ""  # the paragraphs changed since the last version (compare.affected_paragraphs); "" for a first
    already: Snapshot | None = None  # when nothing is written: the latest snapshot, which has exactly this text


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
    """One decision recorded for several schools, all or none (see plan_many and record)."""
    outcomes = plan_many(histories, source, request)
    record(source, outcomes)
    return outcomes


def plan_many(histories: list[PolicyHistory], source: Path, request: Request) -> list[Outcome]:
    """Every school's snapshot checked and made, none written: a problem with any school
    refuses the decision for all."""
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
    return outcomes


def ratify_selection(project: Project, histories: list[PolicyHistory], policy_id: str, schools: list[str],
                     all_schools: bool) -> tuple[list[PolicyHistory], str]:
    """Which schools' copies one decision ratifies, and the body that made it ("" for each
    school's usual body). A trust-approved policy is one decision for every school that has it."""
    model = next(p for p in project.policies if p.id == policy_id)
    having = [h for h in histories if h.current.policy_id == policy_id]
    names = {s.slug: s.name for s in project.schools}
    title = trust_title(project, model) or (having[0].current.title if having else model.id)
    if model.approver == "trust":
        if schools:
            raise UsageError(f"the {title} is approved by the {project.trust.board} once for every school "
                            f"that has it ({len(having)}), not by each school: ratify it without --school")
        if not having:
            raise UsageError(f"no school has the {title}, so there is nothing to ratify")
        return having, model.approving_body or project.trust.board
    if schools and all_schools:
        raise UsageError("give either --school (one or more) or --all-schools, not both")
    if not schools and not all_schools:
        raise UsageError(f"the {title} is approved by each school's own governing body: name the school "
                        f"with --school (repeat it for several), or give --all-schools")
    if all_schools:
        return having, ""
    picked = []
    for slug in dict.fromkeys(schools):
        found = [h for h in having if h.current.school_slug == slug]
        if not found:
            raise UsageError(f"{names[slug]} ({slug}) does not have the {title}; the schools that have it: "
                            + ", ".join(h.current.school_slug for h in having))
        picked += found
    return picked, ""


@dataclass(frozen=True)
class SchoolEdit:
    """A school file's record of the policy brought up to date with its new snapshot."""

    snapshot: Path
    school_file: Path
    before: str
    after: str


def school_record_edit(source: Path, slug: str, policy_id: str, version: str,
                       record) -> Optional[tuple[Path, str, str]]:
    """After a ratification, the school file's own record of the policy (status: draft, the
    meeting: that was to decide) is out of date: the record rewritten to say what was ratified.

    Only the `ratification:` block of that one policy is replaced, and only when the file,
    so changed, still reads and validates; anything else in the file (comments too) is kept.
    Returns the file, its text now and its text so changed, or None when it has no such
    record or could not be changed safely. Nothing is written: ratify writes it with the
    snapshots, all or none.
    """
    folder = source / "schools"
    path = next((folder / f"{slug}{s}" for s in (".yaml", ".yml") if (folder / f"{slug}{s}").is_file()), None)
    if path is None:
        return None
    problems = Problems()
    name = display_path(path)
    before = load_yaml(path, name, problems, within=source)
    where = ("policies", policy_id, "ratification")
    if before is None or where not in before.key_positions:
        return None
    old = before.data["policies"][policy_id]["ratification"]
    text = path.read_text(encoding="utf-8")
    lines = text.splitlines(keepends=True)
    key = before.key_positions[where]
    start, indent = key.line - 1, key.column - 1
    end = start + 1
    while end < len(lines):
        stripped = lines[end].strip()
        if stripped and not stripped.startswith("#") and len(lines[end]) - len(lines[end].lstrip(" ")) <= indent:
            break
        end += 1
    while end > start + 1 and not lines[end - 1].strip():  # blank lines after the block stay
        end -= 1
    pad, q = " " * indent, lambda s: json.dumps(s, ensure_ascii=False)
    block = [f"{pad}ratification:", f"{pad}  status: ratified", f"{pad}  date: {record.date.isoformat()}"]
    if record.minute:
        block.append(f"{pad}  minute: {q(record.minute)}")
    block.append(f"{pad}  version: {q(version)}")
    if isinstance(old, dict) and old.get("review_cycle"):
        block.append(f"{pad}  review_cycle: {old['review_cycle']}")
    if isinstance(old, dict) and old.get("body"):
        block.append(f"{pad}  body: {q(record.body)}")
    block.append(f"{pad}  signatories:")
    block += [f"{pad}    - {{name: {q(s.name)}, role: {q(s.role)}}}" for s in record.signatories]
    changed = "".join(lines[:start]) + "\n".join(block) + "\n" + "".join(lines[end:])
    check = Problems()
    after = parse_yaml(changed, path, name, check)
    if after is None or not validate(after, "school", check) or check.errors:
        return None
    return path, text, changed


def record(source: Path, outcomes: list[Outcome], edits: tuple[SchoolEdit, ...] = ()) -> None:
    """Write the snapshots, the school files' edits and what `unratify` needs to take each back,
    all or none, through the sources' journal: a command killed part-way leaves a journal the
    next command finishes (source/journal.py), never a trust half ratified."""
    writes = [Write(o.path, dump(o.snapshot).encode("utf-8")) for o in outcomes if o.snapshot is not None]
    for edit in edits:
        writes.append(Write(edit.school_file, edit.after.encode("utf-8"), edit.school_file.read_bytes()))
        undo = {"school_file": edit.school_file.name, "before": edit.before, "after": edit.after}
        writes.append(Write(undo_path(edit.snapshot), json.dumps(undo, ensure_ascii=False).encode("utf-8")))
    made = [o for o in outcomes if o.snapshot is not None]
    if not made:
        return
    title = made[0].snapshot.policy.title
    what = (f"ratify of the {title} for {len(made)} schools" if len(made) > 1
            else f"ratify of the {title} for {made[0].snapshot.policy.school_name}")
    try:
        publish(source, writes, what)
    except WriteFailed as exc:
        raise UserError(f"could not write the snapshot {exc.where}: {exc.reason}; no school's ratification was "
                        "recorded, so the sources are as they were") from None


def _prepare(history: PolicyHistory, source: Path, request: Request) -> Outcome:
    current = history.current
    latest = history.snapshots[-1] if history.snapshots else None
    if latest and history.changed_since is None:
        return Outcome(None, already=latest)
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
    snap = Snapshot(version, summary, kind, approved, owner=owner, recorded=request.today.isoformat())
    try:
        path = path_for(source, current.school_slug, current.policy_id, version)
    except PathEscape:  # snapshots/ (or a folder in it) is a link to somewhere else
        raise UserError(f"the snapshots folder for this policy leads outside the source folder {source}; "
                        "snapshots are kept inside the sources, so replace the link with a real folder") from None
    return Outcome(snap, path, comparison.affected_paragraphs() if comparison else "")


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


@dataclass(frozen=True)
class Amendment:
    """A correction to the record of the latest ratification (never to the text approved):
    each field given replaces the recorded one; None keeps it."""

    today: dt.date
    reason: str
    date: dt.date | None = None
    signatories: tuple[Signatory, ...] = ()
    minute: str | None = None
    body: str | None = None


def amend(history: PolicyHistory, amendment: Amendment) -> tuple[Path, str, dict[str, tuple]]:
    """The latest snapshot of one school's policy with its record corrected: its path, its new
    text and, for the user to confirm, what changes: each field corrected, with its value as
    recorded and as corrected (as the snapshot's YAML holds them; cli/history.py shows them). The record as it
    was goes into the snapshot's own `amendments:` list, and the hash covers that list too, so
    the correction is part of the record and a hand edit is still refused."""
    if not history.snapshots:
        raise UsageError(f"{history.current.school_name} has no ratified version of the {history.current.title} "
                         "to amend")
    latest = history.snapshots[-1]
    if latest.path is None:
        raise UsageError("the latest version has no snapshot file to amend")
    problems = Problems()
    source = load_yaml(latest.path, display_path(latest.path), problems)
    if source is None or not isinstance(source.data, dict):
        raise UserError(f"{display_path(latest.path)} cannot be read to amend it")
    data = {k: v for k, v in source.data.items() if k != "sha256"}
    if not amendment.reason.strip():
        raise UsageError("say why the record is corrected: --reason \"...\" (it is kept with the record)")
    if amendment.date and amendment.date > amendment.today:
        raise UsageError(f"the ratification date {amendment.date.isoformat()} is in the future")
    earlier = history.snapshots[-2] if len(history.snapshots) > 1 else None
    if amendment.date and earlier and amendment.date < earlier.date:
        raise UsageError(f"the ratification date {amendment.date.isoformat()} is before the version before it "
                         f"(version {earlier.version}, {earlier.date.isoformat()})")
    new = {}
    if amendment.date:
        new["date"] = amendment.date.isoformat()
        cycle = data.get("review_cycle", "")
        old_day = dt.date.fromisoformat(data["date"])
        # A next review worked out from the old date moves with it; one set by hand stays.
        if cycle and data.get("next_review") == _iso(next_review_date(old_day, cycle)):
            new["next_review"] = _iso(next_review_date(amendment.date, cycle))
    if amendment.signatories:
        new["signatories"] = [{"name": s.name, "role": s.role} for s in amendment.signatories]
    if amendment.minute is not None:
        new["minute"] = amendment.minute
    if amendment.body is not None:
        new["body"] = amendment.body
    changed = {k: v for k, v in new.items() if data.get(k) != v}
    if not changed:
        raise UsageError(f"nothing to correct: version {latest.version}'s record already says that")
    was = {k: data.get(k, "") for k in changed}
    entry = {"on": amendment.today.isoformat(), "reason": amendment.reason.strip(), "was": was}
    record = {**data, **changed, "amendments": [*(data.get("amendments") or []), entry]}
    order = [k for k in data if k != "content"] + [k for k in ("amendments",) if k not in data] + ["content"]
    record = {k: record[k] for k in order if k in record}
    record["sha256"] = digest(record)
    text = dump_data(record)
    return latest.path, text, {key: (was[key], value) for key, value in changed.items()}


def record_amendments(source: Path, snapshots: list[tuple[Path, str]], edits: list[tuple[Path, str, str]],
                      policy_id: str) -> None:
    """The corrected snapshots and the school files that repeat their record, all or none (as `record`)."""
    writes = [Write(path, text.encode("utf-8"), path.read_bytes()) for path, text in snapshots]
    writes += [Write(path, after.encode("utf-8"), path.read_bytes()) for path, _, after in edits]
    schools = f"{len(snapshots)} schools" if len(snapshots) > 1 else "one school"
    publish(source, writes, f"correction of the record of {policy_id} for {schools}")


def _iso(day: dt.date | None) -> str:
    return day.isoformat() if day else ""


UNDO_SUFFIX = ".undo.json"  # beside a snapshot: the school file as it was before ratify updated it


def undo_path(snapshot: Path) -> Path:
    return snapshot.with_name(f".{snapshot.stem}{UNDO_SUFFIX}")


def unratify_plan(history: PolicyHistory, today: dt.date) -> Snapshot:
    """The latest snapshot, if `unratify` may take it back: recorded today or yesterday."""
    if not history.snapshots:
        raise UsageError(f"{history.current.school_name} has no ratified version of the {history.current.title}")
    latest = history.snapshots[-1]
    if not latest.recorded:
        raise UsageError(f"version {latest.version} was recorded before policyc kept the day of recording, so it "
                         "cannot be taken back with unratify; a ratified record is kept (to correct its details, "
                         "use ratify --amend)")
    age = (today - dt.date.fromisoformat(latest.recorded)).days
    if age > 1 or age < 0:
        raise UsageError(f"version {latest.version} was recorded on {latest.recorded}; unratify takes back only "
                         "a ratification recorded today or yesterday (to correct its details, use ratify --amend)")
    return latest


@dataclass(frozen=True)
class Unratified:
    """What `unratify` did: the snapshot removed, and the school file whose record ratify had
    changed (None when it changed none, or the file is gone), put back or, changed since, left."""

    snapshot: Path
    school_file: Path | None = None
    put_back: bool = False  # False with a school_file: it has changed since the ratification, and is left as it is


def unratify(snapshot: Snapshot, schools: Path) -> Unratified:
    """Take the snapshot back, and the school file's record with it if ratify changed it and
    nothing has changed it since, all or none (as `record`)."""
    done = Unratified(snapshot.path)
    writes = [Write(snapshot.path, None, snapshot.path.read_bytes())]
    undo = undo_path(snapshot.path)
    if undo.is_file():
        data = json.loads(undo.read_text(encoding="utf-8"))
        school_file = schools / data["school_file"]
        if school_file.is_file() and school_file.read_text(encoding="utf-8") == data["after"]:
            writes.append(Write(school_file, data["before"].encode("utf-8"), school_file.read_bytes()))
            done = Unratified(snapshot.path, school_file, put_back=True)
        elif school_file.is_file():
            done = Unratified(snapshot.path, school_file)
        writes.append(Write(undo, None, undo.read_bytes()))
    policy = snapshot.policy
    publish(schools.parent, writes, f"unratify of version {snapshot.version} of the {policy.title} for "
                                    f"{policy.school_name}")
    return done
