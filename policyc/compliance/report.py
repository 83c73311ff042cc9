"""Each school against each requirement that applies to it: met by which policy, in force since
when, approved by whom (and whether that body may approve it), next review against the
statutory cycle, and published where publication is required."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Optional

from policyc.compliance.requirements import LEVELS, applies, every_requirement, months
from policyc.history.attach import PolicyHistory
from policyc.model import Project, Requirement, School
from policyc.text.dates import format_date, parse_written
from policyc.text.review_dates import add_months

# The problems a requirement can have, worst first: a finding's state is its first problem.
PROBLEMS = {
    "missing": "Missing",
    "not-in-force": "Not in force",
    "overdue": "Review overdue",
    "approval": "Approved at too low a level",
    "unpublished": "Not published",
    "late-review": "Review set later than the cycle allows",
    "level-unknown": "Approving body's level not known",
}
MISSING_HINT = "No policy meets it: name it in a policy's meets:, or say in the school's elsewhere: where it is kept."
GOOD = {"met": "Met", "elsewhere": "Met outside policyc", "not-checked": "Not checked"}
STATES = {**PROBLEMS, **GOOD}


@dataclass(frozen=True, kw_only=True)
class Finding:
    school: School
    requirement: Requirement
    problems: tuple[str, ...] = ()  # keys of PROBLEMS
    words: tuple[str, ...] = ()  # one plain sentence per problem, and notes
    policy_id: str = ""
    policy_title: str = ""
    version: str = ""
    ratified: Optional[dt.date] = None
    ratified_as_written: str = ""  # "March 2025" where the record gives only a month
    body: str = ""
    level: str = ""
    next_review: Optional[dt.date] = None  # the earlier of the school's date and the statutory cycle's
    published: Optional[bool] = None  # None: publication is not required of this school
    url: str = ""  # for a requirement met outside policyc: where it is published
    checked: bool = True

    @property
    def state(self) -> str:
        if self.problems:
            return self.problems[0]
        if not self.checked:
            return "not-checked"
        return "elsewhere" if not self.policy_id else "met"


def level_of(project: Project, school: School, body: str) -> str:
    """board, committee, governor or headteacher: as the trust says, else the trust board
    and a maintained school's own governing body are a board; "" when it cannot be told."""
    said = dict(project.trust.compliance.levels)
    if body in said:
        return said[body]
    if body and body == project.trust.board:
        return "board"
    own = school.approving_body or project.trust.approving_body
    if school.type == "maintained" and body and body == own:
        return "board"
    return ""


def findings(project: Project, histories: list[PolicyHistory], today: dt.date,
             schools: Optional[set] = None) -> list[Finding]:
    """For each school (or those named), each requirement that applies, worst first."""
    requirements = every_requirement(project.trust)
    chosen = set(project.trust.compliance.check)
    meets = {p.id: p.meets for p in project.policies}
    found: list[Finding] = []
    for school in project.schools:
        if schools and school.slug not in schools:
            continue
        own = [h for h in histories if h.current.school_slug == school.slug]
        elsewhere = {e.requirement: e for e in school.elsewhere}
        rows = []
        for req in requirements.values():
            if not applies(req, school):
                continue
            if chosen and req.id not in chosen:
                rows.append(Finding(school=school, requirement=req, checked=False))
                continue
            candidates = [h for h in own if req.id in meets.get(h.current.policy_id, ())]
            if candidates:
                rows.append(_by_policy(project, school, req, _best(candidates), today))
            elif req.id in elsewhere:
                rows.append(_elsewhere(school, req, elsewhere[req.id]))
            else:
                rows.append(Finding(school=school, requirement=req, problems=("missing",),
                                    published=False if school.type in req.publish else None,
                                    words=(MISSING_HINT,)))
        order = list(STATES)
        rows.sort(key=lambda f: (order.index(f.state), f.requirement.name.lower()))
        found += rows
    return found


def _best(candidates: list[PolicyHistory]) -> PolicyHistory:
    """Of several policies meeting one requirement, one in force, the latest ratified."""
    def rank(h: PolicyHistory):
        force = h.in_force
        return (force is not None, force.ratification.date or dt.date.min if force else dt.date.min)
    return max(candidates, key=rank)


def _elsewhere(school: School, req: Requirement, item) -> Finding:
    must_publish = school.type in req.publish
    problems, words = [], []
    if item.note:
        words.append(item.note)
    if must_publish and not item.url:
        problems.append("unpublished")
        words.append("It must be published on the school's website: give its address as elsewhere: "
                     f"{req.id}: url:.")
    return Finding(school=school, requirement=req, problems=tuple(problems), words=tuple(words),
                   published=bool(item.url) if must_publish else None, url=item.url)


def _by_policy(project: Project, school: School, req: Requirement, history: PolicyHistory,
               today: dt.date) -> Finding:
    current, force = history.current, history.in_force
    base = dict(school=school, requirement=req, policy_id=current.policy_id, policy_title=current.title)
    must_publish = school.type in req.publish
    if force is None:
        state = "approved, awaiting ratification" if current.ratification.status == "approved" else "a draft"
        return Finding(**base, problems=("not-in-force",) + (("unpublished",) if must_publish else ()),
                       published=False if must_publish else None,
                       words=(f"{state[0].upper()}{state[1:]}: no version is in force.",))
    record = force.ratification
    version = history.snapshots[-1].version if history.snapshots else record.version
    level = level_of(project, school, record.body)
    problems, words = [], []
    cycle = months(req.review)
    written = parse_written(record.shown("date")) if record.shown("date") else None
    since = written.last if written else record.date  # "March 2025": the cycle runs from its last day
    statutory_due = add_months(since, cycle) if cycle and since else None
    due = min(d for d in (record.next_review, statutory_due) if d) if (record.next_review or statutory_due) else None
    if due and due < today:
        problems.append("overdue")
        if due == statutory_due:
            words.append(f"Due by {_day(due)}: {cycle_words(req.review)} from "
                         f"{record.shown('date') or _day(record.date)}.")
    if req.approval and level and LEVELS.index(level) > LEVELS.index(req.approval):
        problems.append("approval")
        words.append(f"Approved by the {record.body}, a {level}; it needs approval by at least a "
                     f"{req.approval}.")
    if record.next_review and statutory_due and record.next_review > statutory_due:
        problems.append("late-review")
        words.append(f"Its next review, {record.shown('next_review') or _day(record.next_review)}, is later than "
                     f"{cycle_words(req.review)} allows ({_day(statutory_due)}).")
    if req.approval and not level:
        problems.append("level-unknown")
        words.append(f"Whether the {record.body or 'approving body'} may approve it cannot be told: say what it is "
                     f"in trust.yaml under compliance: levels: (board, committee, governor or headteacher).")
    # The version in force is always in the school's bundle (index, register and fragment).
    return Finding(**base, problems=tuple(problems), words=tuple(words), version=version, ratified=record.date,
                   ratified_as_written=record.shown("date"), body=record.body, level=level, next_review=due,
                   published=True if must_publish else None)


def cycle_words(cycle: str) -> str:
    """'a review every year', 'a review every 4 years': how a cycle reads in a sentence."""
    named = {"annually": "every year", "biennially": "every two years", "triennially": "every three years"}
    return f"a review {named.get(cycle, cycle)}"


def _day(day: Optional[dt.date]) -> str:
    return format_date(day)


def counts(found: list[Finding]) -> dict[str, int]:
    """How many findings are in each state, worst first."""
    out: dict[str, int] = {}
    for f in sorted(found, key=lambda f: list(STATES).index(f.state)):
        out[f.state] = out.get(f.state, 0) + 1
    return out


def tally(found: list[Finding]) -> str:
    """'1 missing, 2 not in force, 3 met': the counts in words, worst first."""
    return ", ".join(f"{n} {STATES[k].lower()}" for k, n in counts(found).items())
