"""reviews.ics: each policy's next review date as a calendar a clerk subscribes to."""

from __future__ import annotations

import datetime as dt

import icalendar
import pytest

from policyc.site.calendar import escape_text, fold
from tests.helpers import SCHOOLS, edit, ratify, write_tree


def _events(path):
    cal = icalendar.Calendar.from_ical(path.read_bytes())
    return {str(e["UID"]): e for e in cal.walk("VEVENT")}


def _build(run, src, out, *extra):
    result = run("--source", src, "--output", out, "--format", "html", "--today", "2026-11-22", "-q", *extra)
    assert result.code == 0, result.err


def test_folding_keeps_lines_to_75_octets_and_never_splits_a_character():
    line = "DESCRIPTION:" + "é" * 100 + "x" * 50
    folded = fold(line)
    parts = folded.split("\r\n")
    assert all(len(p.encode("utf-8")) <= 75 for p in parts)
    assert all(p.startswith(" ") for p in parts[1:])
    assert "".join(p[1:] if i else p for i, p in enumerate(parts)) == line
    assert fold("SUMMARY:short") == "SUMMARY:short"


def test_text_values_escape_commas_semicolons_backslashes_and_line_breaks():
    assert escape_text("a, b; c\\d\ne") == "a\\, b\\; c\\\\d\\ne"


@pytest.mark.slow
def test_each_school_and_the_trust_get_a_calendar_of_review_dates(mini, run, tmp_path):
    write_tree(mini, {k: v for k, v in SCHOOLS.items() if v})
    out = tmp_path / "out"
    _build(run, mini, out)
    raw = (out / "ash-special" / "reviews.ics").read_bytes()
    assert b"\n" not in raw.replace(b"\r\n", b"")  # every line ends CRLF
    assert all(len(line) <= 75 for line in raw.split(b"\r\n"))
    events = _events(out / "ash-special" / "reviews.ics")
    [(uid, event)] = events.items()
    assert uid.startswith("review-social-media-ash-special@")
    assert event["SUMMARY"] == "Review due: Staff Social Media Policy (Ash Special School)"
    assert event["DTSTART"].dt == dt.date(2026, 12, 15)  # ratified 2025-12-15, annual review
    assert event["DTEND"].dt == dt.date(2026, 12, 16)  # an all-day event
    assert event["DTSTAMP"].dt == dt.datetime(2026, 11, 22, tzinfo=dt.timezone.utc)  # the build date
    # the school's bundle links only to its public page, absolute where it is published
    assert str(event["URL"]) == "https://www.ash.example.sch.uk/policies/social-media.html"
    assert "review/" not in raw.decode("utf-8").replace("\r\n ", "")
    assert "Version in force: 4\\, ratified 15 December 2025" in raw.decode().replace("\r\n ", "")

    trust = _events(out / "reviews.ics")
    assert set(trust) == {uid, next(iter(_events(out / "oak-primary" / "reviews.ics")))}  # elm: never ratified
    assert str(trust[uid]["URL"]) == "ash-special/social-media.html"
    assert _events(out / "elm-secondary" / "reviews.ics") == {}
    assert 'href="reviews.ics"' not in (out / "ash-special" / "index.html").read_text()  # web_managers is off
    dashboard = (out / "dashboard.html").read_text()
    assert 'href="reviews.ics"' in dashboard and 'href="ash-special/reviews.ics"' in dashboard

    again = tmp_path / "again"
    _build(run, mini, again)
    assert (again / "reviews.ics").read_bytes() == (out / "reviews.ics").read_bytes()  # byte-identical builds


def test_a_pending_change_keeps_the_in_force_date_and_the_trust_calendar_points_at_its_review_pack(
        mini, run, tmp_path):
    assert ratify(run, mini, "2026-01-10", "First", "--version", "2.0").code == 0
    edit(mini / "policies" / "social-media.yaml", "In person or by email.", "In person or by phone.")
    out = tmp_path / "out"
    _build(run, mini, out)
    [event] = _events(out / "reviews.ics").values()
    assert event["DTSTART"].dt == dt.date(2027, 1, 10)  # from version 2.0, in force
    description = str(event["DESCRIPTION"])
    assert "Version in force: 2.0, ratified 10 January 2026" in description
    assert "Review pack: review/oak-primary/social-media-review-pack.html" in description
    [school_event] = _events(out / "oak-primary" / "reviews.ics").values()
    assert "review" not in str(school_event["DESCRIPTION"]).replace("due for review", "")
    assert school_event["UID"] == event["UID"]


def test_a_review_written_to_the_month_falls_due_at_its_end(mini, run, tmp_path):
    school = mini / "schools" / "oak-primary.yaml"
    text = school.read_text()
    assert "date: 2026-10-01" in text, text
    school.write_text(text.replace("date: 2026-10-01", "date: Sept 2025"))
    out = tmp_path / "out"
    _build(run, mini, out)
    [event] = _events(out / "oak-primary" / "reviews.ics").values()
    assert event["DTSTART"].dt == dt.date(2026, 9, 30)
    assert "due for review by Sept 2026. Version in force: 1.10, ratified Sept 2025" in \
        str(event["DESCRIPTION"]).replace("\n", " ")
