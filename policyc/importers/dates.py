"""Dates and review periods as schools write them: '24 th November 2020', '22/11/17', 'Annually'."""

from __future__ import annotations

import datetime as dt
import re
from typing import Optional

MONTHS = ["january", "february", "march", "april", "may", "june", "july", "august", "september",
          "october", "november", "december"]
_LONG = re.compile(r"\b(\d{1,2})\s*(st|nd|rd|th)?\s+(" + "|".join(MONTHS) + r")\s+(\d{4})\b", re.I)
_NUMERIC = re.compile(r"(?<!\d)(\d{1,2})/(\d{1,2})/(\d{4}|\d{2})(?!\d)")
_ISO = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")
_MONTH = re.compile(r"^\s*(" + "|".join(MONTHS) + r")\s+(\d{4})\s*$", re.I)
_ABBR = r"(?:jan|feb|mar|apr|jun|jul|aug|sept?|oct|nov|dec)\.?"
_ANY_MONTH = r"(?:" + "|".join(MONTHS) + "|" + _ABBR + r")"
# A date as schools write one, to the day, the month or the year: kept as written in the record.
WRITTEN = (r"(?:\d{1,2}\s*(?:st|nd|rd|th)?\s+" + _ANY_MONTH + r",?\s+\d{4}"
           r"|\d{1,2}/\d{1,2}/(?:\d{4}|\d{2})|\d{4}-\d{2}-\d{2}|(?:0?[1-9]|1[0-2])/\d{4}|"
           + _ANY_MONTH + r"\s+\d{4}|(?<![\d/])(?:19|20)\d{2}(?![\d/]))")
_WRITTEN = re.compile(r"(?<!\w)" + WRITTEN + r"(?!\w)", re.I)
CYCLES = {"annually": "annually", "annual": "annually", "yearly": "annually", "every year": "annually",
          "biennially": "biennially", "every two years": "biennially", "every 2 years": "biennially",
          "triennially": "triennially", "every three years": "triennially", "every 3 years": "triennially"}


def find_date(text: str) -> Optional[tuple[dt.date, str]]:
    """The first full date in the text and how it was written (a ratification_block format)."""
    if m := _LONG.search(text):
        day, suffix, month, year = m.groups()
        return _safe(int(year), MONTHS.index(month.lower()) + 1, int(day), "ordinal" if suffix else "long")
    if m := _NUMERIC.search(text):
        day, month, year = m.groups()
        short = len(year) == 2
        return _safe(2000 + int(year) if short else int(year), int(month), int(day),
                     "numeric-short" if short else "numeric")
    if m := _ISO.search(text):
        return _safe(int(m.group(1)), int(m.group(2)), int(m.group(3)), "long")
    return None


def find_written(text: str) -> Optional[str]:
    """The first date in the text, exactly as written ("Sept 2023", "14th March 2022", "09/2023"),
    if the source format can keep it so; an ISO date as written."""
    from policyc.text.dates import parse_written
    for m in _WRITTEN.finditer(text):
        words = re.sub(r"\s+", " ", m.group(0)).strip()
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", words) or parse_written(words) or (
                find_date(words) and re.fullmatch(r"\d{1,2}/\d{1,2}/\d{2,4}|\d{1,2}\s*[a-z]{2}\s.*", words)):
            return words
    return None


def month_only(text: str) -> Optional[str]:
    """'November 2017' written alone: an issue date, month precision."""
    m = _MONTH.match(text.strip(" .:"))
    return f"{m.group(1).capitalize()} {m.group(2)}" if m else None


def find_cycle(text: str) -> Optional[str]:
    """A review period in words, as the format's review_cycle."""
    low = text.lower()
    for words, cycle in CYCLES.items():
        if re.search(rf"\b{words}\b", low):
            return cycle
    if m := re.search(r"every (\d{1,2}) (years|months)", low):
        return f"every {m.group(1)} {m.group(2)}"
    return None


def _safe(year: int, month: int, day: int, style: str) -> Optional[tuple[dt.date, str]]:
    try:
        return dt.date(year, month, day), style
    except ValueError:
        return None
