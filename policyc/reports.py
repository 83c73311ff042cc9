"""Terminal text and JSON for `policyc compliance`, `status`, `versions` and `as-of`."""

from __future__ import annotations

import datetime as dt

from policyc.compliance.period import Period, in_force_words, periods
from policyc.compliance.report import MISSING_HINT, STATES, Finding, tally
from policyc.compliance.requirements import RequirementList
from policyc.history.attach import PolicyHistory
from policyc.text.dates import format_date, long_date
from policyc.site.bundle import BUCKETS, Entry


def _iso(day) -> str | None:
    return day.isoformat() if day else None


def detail(f: Finding) -> str:
    """What meets a requirement, in one line."""
    if f.state == "not-checked":
        return ""
    if not f.policy_id:
        return f"kept outside policyc{': ' + f.url if f.url else ''}" if f.state != "missing" else ""
    if not f.version and not f.ratified:
        return f.policy_title
    parts = [f"{f.policy_title} {f.version}".strip()]
    if f.ratified:
        parts.append(f"ratified {f.ratified_as_written or long_date(f.ratified)}"
                     + (f" by the {f.body}" if f.body else ""))
    if f.next_review:
        parts.append(f"review {'was due' if 'overdue' in f.problems else 'due'} by {long_date(f.next_review)}")
    if f.published:
        parts.append("published")
    return "; ".join(parts)


def school_line(slug_findings: list[Finding]) -> str:
    school = slug_findings[0].school
    kind = ", ".join(x for x in (school.type.replace("-", " ") or "type not given", school.phase.replace("-", " ")) if x)
    return f"{school.label} ({kind}): {tally(slug_findings)}"


def compliance_text(title: str, found: list[Finding], today: dt.date, listed: RequirementList) -> str:
    lines = [f"{title}: what each school must have, as at {long_date(today)}",
             f"Against the Department for Education's lists as read on {long_date(listed.checked)} "
             "('policyc compliance --list' cites them) and the trust's own requirements.", ""]
    by_school: dict[str, list[Finding]] = {}
    for f in found:
        by_school.setdefault(f.school.slug, []).append(f)
    width = max((len(STATES[f.state]) for f in found), default=0)
    for rows in by_school.values():
        lines.append(school_line(rows))
        if not rows[0].school.type:
            lines.append(f"  {rows[0].school.source}: say the school's type (maintained, academy or free-school) "
                         "to check the requirements for its kind of school")
        quiet = [f for f in rows if f.state == "not-checked"]
        for f in rows:
            if f.state == "not-checked":
                continue
            shown = detail(f)
            lines.append(f"  {STATES[f.state].ljust(width)}  {f.requirement.name}" + (f": {shown}" if shown else ""))
            for words in f.words:
                if words != MISSING_HINT:
                    lines.append(f"  {' ' * width}    {words}")
        if any(f.state == "missing" for f in rows):
            lines.append(f"  {' ' * width}    For each one missing, name it in a policy's meets:, or say in the "
                         "school's elsewhere: where it is kept.")
        if quiet:
            lines.append(f"  {'Not checked'.ljust(width)}  {len(quiet)} more, which trust.yaml's compliance: check "
                         "leaves out (--json lists them)")
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"


def compliance_json(found: list[Finding], today: dt.date, listed: RequirementList) -> dict:
    return {
        "as_at": today.isoformat(),
        "list": {"title": listed.title, "checked": _iso(listed.checked),
                 "sources": [{"key": s.key, "title": s.title, "url": s.url, "updated": _iso(s.updated)}
                             for s in listed.sources]},
        "findings": [{
            "school": f.school.slug, "school_name": f.school.name or None, "type": f.school.type or None,
            "requirement": f.requirement.id, "name": f.requirement.name, "state": f.state,
            "problems": list(f.problems), "notes": list(f.words),
            "policy": f.policy_id or None, "version": f.version or None, "ratified": _iso(f.ratified),
            "approved_by": f.body or None, "level": f.level or None,
            "approval_needed": f.requirement.approval or None, "review": f.requirement.review or None,
            "next_review": _iso(f.next_review), "published": f.published, "url": f.url or None,
        } for f in found],
    }


def requirements_text(listed: RequirementList, own: list) -> str:
    lines = [f"{listed.title} (read {long_date(listed.checked)})", ""]
    for s in listed.sources:
        lines.append(f"  [{s.key}] {s.title}" + (f", updated {long_date(s.updated)}" if s.updated else ""))
        lines.append(f"      {s.url}")
    lines.append("")
    for r in list(listed.requirements) + list(own):
        who = ", ".join(t.replace("-", " ") for t in r.types) or "every school"
        if r.phases:
            who += " (" + ", ".join(p.replace("-", " ") for p in r.phases) + ")"
        facts = [who, f"review {r.review}" if r.review else "", f"approval: {r.approval} or above" if r.approval else "",
                 "published by " + ", ".join(t.replace("-", " ") for t in r.publish) if r.publish else "",
                 "the trust's own" if r.position else ""]
        lines.append(f"{r.id}: {r.name}")
        lines.append("    " + "; ".join(x for x in facts if x))
    return "\n".join(lines) + "\n"


def period_words(period: Period) -> str:
    return in_force_words(period)


def versions_table(history: PolicyHistory) -> list[str]:
    """`policyc versions`: one line per ratified version, with when it was in force, then the draft."""
    lines = []
    when = {p.version: p for p in periods(history)}
    for snap in history.snapshots:
        r = snap.policy.ratification
        people = "; ".join(f"{s.name} ({s.role})" for s in r.signatories)
        held = when.get(snap.version)
        force = period_words(held) if held else "never in force (a later version was ratified the same day)"
        lines.append(f"{snap.version:>8}  {r.date.isoformat()}  {r.body}  {people}  – {snap.summary} [{force}]")
    if history.changed_since:
        lines.append(f"{'draft':>8}  changed since {history.changed_since.version}; "
                     f"proposed version {history.proposed_version or '(give one with --version)'}")
    elif not history.snapshots:
        lines.append(f"{'draft':>8}  no ratified snapshot yet")
    return lines


def first_ratified(history: PolicyHistory) -> str:
    """When the first version came into force, in words; "" if none has."""
    found = periods(history)
    if not found:
        return ""
    first = found[0]
    return first.start_written or long_date(first.start)


def status_table(title: str, groups: dict[str, list[Entry]], today: dt.date) -> str:
    """`policyc status`: the dashboard's groups (site/bundle.status_groups) as text for the
    terminal, one block per group, aligned columns."""
    lines = [f"{title}: policies as at {format_date(today)}", ""]
    header = ("School", "Policy", "In force", "Next review", "Status", "Awaiting ratification")
    for key, label in BUCKETS.items():
        rows = [(e.school_name, e.title, e.version or "-", e.date_text("next_review") or "-", e.standing.label,
                 e.pending or "-") for e in groups[key]]
        lines.append(f"{label}: {len(rows)}")
        if rows:
            widths = [max(len(str(r[i])) for r in rows + [header]) for i in range(len(header))]
            lines.append("  " + "  ".join(h.ljust(w) for h, w in zip(header, widths)).rstrip())
            for row in rows:
                lines.append("  " + "  ".join(str(c).ljust(w) for c, w in zip(row, widths)).rstrip())
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"


def carried_over(stale: list[str], removed: list[str]) -> list[str]:
    """What a build says of the files of an earlier build it did not make again: those of a
    format not built now that the sources have outdated (left out), and those whose sources
    are gone (removed). `policyc build` and `serve` say it in the same words."""
    lines = []
    if stale:
        kinds = sorted({p.rsplit(".", 1)[-1].upper() for p in stale})
        lines.append(f"Left out {len(stale)} {' and '.join(kinds)} file(s) of an earlier build that the sources have "
                     f"changed since, so no old version is published beside the new pages: build with --format "
                     f"{','.join(k.lower() for k in kinds)} to make them again: " + ", ".join(stale[:5])
                     + (" ..." if len(stale) > 5 else ""))
    if removed:
        lines.append(f"Removed {len(removed)} file(s) of the last build whose sources are gone or that are no "
                     f"longer made: " + ", ".join(removed[:10]) + (" ..." if len(removed) > 10 else ""))
    return lines
