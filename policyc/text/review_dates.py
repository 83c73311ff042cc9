"""Review cycles: when a ratified policy must next be looked at."""

from __future__ import annotations

import datetime as dt
import re
from typing import Optional

_EVERY = re.compile(r"^every (\d+) (years|months)$")
_NAMED = {"annually": 12, "biennially": 24, "triennially": 36}


def cycle_months(cycle: str) -> int:
    if cycle in _NAMED:
        return _NAMED[cycle]
    match = _EVERY.match(cycle)
    if not match:
        raise ValueError(f"not a review cycle: {cycle!r}")
    n = int(match.group(1))
    return n * 12 if match.group(2) == "years" else n


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day `months` later; 31 January + 1 month is the last day of February."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    for d in (day.day, 30, 29, 28):
        try:
            return dt.date(year, month, min(day.day, d))
        except ValueError:
            continue
    raise AssertionError("unreachable")


def next_review_date(ratified: Optional[dt.date], cycle: str) -> Optional[dt.date]:
    return add_months(ratified, cycle_months(cycle)) if ratified else None


def describe_cycle(cycle: str) -> str:
    return {"annually": "Annually", "biennially": "Every two years",
            "triennially": "Every three years"}.get(cycle, cycle[:1].upper() + cycle[1:])
