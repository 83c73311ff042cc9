"""When each ratified version of a school's policy was in force, and which one was on a given day.

A version is in force from the day it was ratified until the day before the next version was
ratified; the latest until now. A record that gives only a month ("adopted March 2025") says
when in that month nobody can tell, and the answer says so rather than guess."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Optional

from policyc.history.attach import PolicyHistory
from policyc.model import ResolvedPolicy
from policyc.text.dates import long_date, parse_written


@dataclass(frozen=True, kw_only=True)
class Period:
    version: str
    start: dt.date  # the first day it can have been in force
    policy: ResolvedPolicy  # the text in force
    end: Optional[dt.date] = None  # its last day in force; None while it still is
    start_written: str = ""  # "March 2025" where the record gives only a month or year
    start_known_by: Optional[dt.date] = None  # for such a record, the day by which it was surely in force
    frozen: bool = True  # False: policyc holds no snapshot, so the text is the sources' own today
    superseded_by: str = ""

    def holds(self, day: dt.date) -> bool:
        return self.start <= day and (self.end is None or day <= self.end)

    def uncertain(self, day: dt.date) -> bool:
        """The day falls in the month (or year) the record names: in force by then, or not yet."""
        return bool(self.start_known_by) and self.start <= day < self.start_known_by


def periods(history: PolicyHistory) -> list[Period]:
    """Every version with the days it was in force, oldest first. Versions ratified the same day
    as a later one were never in force and are left out."""
    found: list[Period] = []
    if history.snapshots:
        snaps = list(history.snapshots)
        for i, snap in enumerate(snaps):
            after = snaps[i + 1] if i + 1 < len(snaps) else None
            if after is not None and after.date <= snap.date:
                continue
            end = after.date - dt.timedelta(days=1) if after else None
            found.append(_period(snap.version, snap.policy, end, after.version if after else ""))
        return found
    current = history.current
    if current.ratification.status in ("ratified", "adopted") and current.ratification.date:
        found.append(_period(current.ratification.version, current, None, "", frozen=False))
    return found


def _period(version: str, policy: ResolvedPolicy, end: Optional[dt.date], successor: str,
            frozen: bool = True) -> Period:
    record = policy.ratification
    written = record.shown("date")
    period = parse_written(written) if written else None
    known_by = period.last + dt.timedelta(days=1) if period else None
    return Period(version=version, start=record.date, policy=policy, end=end, start_written=written,
                  start_known_by=known_by, frozen=frozen, superseded_by=successor)


def in_force_on(history: PolicyHistory, day: dt.date) -> Optional[Period]:
    return next((p for p in periods(history) if p.holds(day)), None)


def version_words(period: Period) -> str:
    """'version 3.1', or where the record numbers none, 'the version'."""
    return f"version {period.version}" if period.version else "the version"


def in_force_words(period: Period) -> str:
    """'in force from 8 October 2025 to 13 October 2026', or '... to now'."""
    start = period.start_written or long_date(period.start)
    end = long_date(period.end) if period.end else "now"
    return f"in force from {start} to {end}"
