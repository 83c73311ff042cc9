"""Dates written to the day, the month or the year ("14th March 2022", "Sept 2023", "09/2023", "2024"), kept as written.

A document that says "Next update: Sept 2024" must say so again, not "1 September 2024".
For arithmetic such a date stands for a period: it counts from the period's first day
when it starts something (adopted, updated) and to its last day when it ends something
(a review due "Sept 2024" is not overdue until 1 October 2024).
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass
from typing import Optional

_MONTHS = {name.lower(): i for i, name in enumerate(calendar.month_name) if name}
_MONTHS.update({name.lower(): i for i, name in enumerate(calendar.month_abbr) if name})
_MONTHS["sept"] = 9
_MONTH_YEAR = re.compile(r"^([A-Za-z]+)\.?\s+(\d{4})$")
_ISO_MONTH = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")
_YEAR = re.compile(r"^(\d{4})$")
_NUMERIC_MONTH = re.compile(r"^(0?[1-9]|1[0-2])/(\d{4})$")  # "09/2023"
# A day in words as written: "13 July 2022", "01 September 2022", "14th March 2022". A day in
# figures ("18/09/2022") is not kept so: it is written YYYY-MM-DD with a row format that shows it.
_DAY_MONTH_YEAR = re.compile(r"^(\d{1,2})(?:st|nd|rd|th)?\s+([A-Za-z]+)\.?,?\s+(\d{4})$")


@dataclass(frozen=True)
class WrittenDate:
    """A date as the document writes it, with the period it stands for."""

    written: str
    first: dt.date
    last: dt.date
    precision: str  # "day", "month" or "year"

    def later(self, months: int) -> "WrittenDate":
        """The same period `months` later, written in the same manner ("Sept 2023" -> "Sept 2024")."""
        if self.precision == "day":
            from policyc.text.review_dates import add_months
            return WrittenDate(long_date(add_months(self.first, months)), add_months(self.first, months),
                               add_months(self.first, months), "day")
        if self.precision == "year":
            year = self.first.year + max(1, round(months / 12))
            return parse_written(_same_manner(self.written, str(self.first.year), str(year)))
        index = self.first.month - 1 + months
        year, month = self.first.year + index // 12, index % 12 + 1
        match = _MONTH_YEAR.match(self.written)
        if match:
            word = match.group(1)
            name = calendar.month_abbr[month] if len(word) <= 4 else calendar.month_name[month]
            if word.lower() == "sept" and month == 9:
                name = "Sept"
            text = self.written.replace(word, name, 1).replace(match.group(2), str(year), 1)
        else:
            text = f"{year}-{month:02d}"
        return parse_written(text)


def parse_written(text: str) -> Optional[WrittenDate]:
    """A day in words, a month or a year as written ("01 September 2022", "Sept. 2023", "09/2023",
    "2024"); None if `text` is none of them (an ISO date is read as a date)."""
    text = text.strip()
    match = _MONTH_YEAR.match(text)
    if match and match.group(1).lower() in _MONTHS:
        return _month(text, int(match.group(2)), _MONTHS[match.group(1).lower()])
    match = _ISO_MONTH.match(text)
    if match:
        return _month(text, int(match.group(1)), int(match.group(2)))
    match = _NUMERIC_MONTH.match(text)
    if match:
        return _month(text, int(match.group(2)), int(match.group(1)))
    match = _YEAR.match(text)
    if match:
        year = int(match.group(1))
        return WrittenDate(text, dt.date(year, 1, 1), dt.date(year, 12, 31), "year")
    match = _DAY_MONTH_YEAR.match(text)
    if match and match.group(2).lower() in _MONTHS:
        return _day(text, int(match.group(3)), _MONTHS[match.group(2).lower()], int(match.group(1)))
    return None


def _day(text: str, year: int, month: int, day: int) -> Optional[WrittenDate]:
    try:
        when = dt.date(year, month, day)
    except ValueError:
        return None
    return WrittenDate(text, when, when, "day")


def _month(text: str, year: int, month: int) -> WrittenDate:
    last = calendar.monthrange(year, month)[1]
    return WrittenDate(text, dt.date(year, month, 1), dt.date(year, month, last), "month")


# How every page, document and message writes a date: "8 October 2025" unless a row of the
# ratification block asks for another style.
def long_date(day: dt.date) -> str:
    return f"{day.day} {day:%B %Y}"


def ordinal(n: int) -> str:
    suffix = "th" if 11 <= n % 100 <= 13 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def format_date(day: Optional[dt.date], style: str = "long") -> str:
    if day is None:
        return ""
    return {
        "long": long_date(day),
        "ordinal": f"{ordinal(day.day)} {day:%B %Y}",
        "numeric": f"{day:%d/%m/%Y}",
        "numeric-short": f"{day:%d/%m/%y}",
        "month": f"{day:%B %Y}",
        "iso": day.isoformat(),
    }[style]


def _same_manner(written: str, old: str, new: str) -> str:
    return written.replace(old, new, 1)
