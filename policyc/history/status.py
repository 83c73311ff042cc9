"""Where a school's policy stands: draft, approved, ratified, or overdue for review."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from policyc.model import Ratification
from policyc.text.dates import long_date


@dataclass(frozen=True)
class Standing:
    key: str    # draft | approved | changed | ratified | overdue
    label: str  # words for people
    is_final: bool  # ratified text (no DRAFT watermark)


def standing(r: Ratification, today: dt.date, in_force: str = "", superseded_by: str = "") -> Standing:
    """`in_force` names the ratified version still in force when the text has since changed."""
    if superseded_by:
        return Standing("superseded", f"Ratified; superseded by version {superseded_by}", True)
    if in_force:
        return Standing("changed", f"Changed since version {in_force} was ratified; awaiting ratification", False)
    if r.status in ("ratified", "adopted"):
        word = r.status.capitalize()
        if r.next_review and r.next_review < today:
            since = r.shown("next_review") or long_date(r.next_review)
            return Standing("overdue", f"{word}; review overdue since {since}", True)
        return Standing(r.status, word, True)
    if r.status == "approved":
        return Standing("approved", "Approved, awaiting ratification", False)
    return Standing("draft", "Draft, not yet ratified", False)


