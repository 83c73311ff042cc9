"""Review reminders as iCalendar files (RFC 5545): one per school, in its uploadable bundle,
and one for the trust at the output root, so a clerk subscribes in Outlook or Google Calendar.

Why written by hand rather than with the `icalendar` package: the file holds one kind of
event with six properties, and what matters here (byte-identical builds, CRLF, folding at
75 octets without splitting a character, escaping) is a few lines; the tests read the
result back with `icalendar` to check it.
"""

from __future__ import annotations

import datetime as dt
import re

from policyc.text.dates import long_date
from policyc.names import inside
from policyc.render.writers import Context, write
from policyc.site.bundle import entries

PRODID = "-//policyc//Policy review dates//EN"


def escape_text(text: str) -> str:
    """TEXT values: backslash, semicolon and comma escaped, line breaks as \\n (RFC 5545 3.3.11)."""
    text = text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    return re.sub(r"\r\n|\r|\n", "\\\\n", text)


def fold(line: str) -> str:
    """Lines longer than 75 octets continue on the next line after CRLF and a space
    (RFC 5545 3.1), never inside a UTF-8 character."""
    out, current, size = [], "", 0
    for char in line:
        width = len(char.encode("utf-8"))
        limit = 75 if not out else 74  # a continuation line starts with one space
        if size + width > limit:
            out.append(current)
            current, size = "", 0
        current += char
        size += width
    out.append(current)
    return "\r\n ".join(out)


def _uri(text: str) -> str:
    """A URI value: spaces and characters outside ASCII percent-encoded."""
    return "".join(c if 32 < ord(c) < 127 and c not in '"<>\\^`{|}' else
                   "".join(f"%{b:02X}" for b in c.encode("utf-8")) for c in text)


def event(uid: str, day: dt.date, stamp: dt.date, summary: str, description: str, url: str) -> list[str]:
    return [
        "BEGIN:VEVENT",
        f"UID:{uid}",
        f"DTSTAMP:{stamp:%Y%m%d}T000000Z",
        f"DTSTART;VALUE=DATE:{day:%Y%m%d}",
        f"DTEND;VALUE=DATE:{day + dt.timedelta(days=1):%Y%m%d}",
        f"SUMMARY:{escape_text(summary)}",
        f"DESCRIPTION:{escape_text(description)}",
        *([f"URL:{_uri(url)}"] if url else []),
        "TRANSP:TRANSPARENT",
        "END:VEVENT",
    ]


def calendar(name: str, events: list[list[str]]) -> bytes:
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", f"PRODID:{PRODID}", "CALSCALE:GREGORIAN", "METHOD:PUBLISH",
             f"X-WR-CALNAME:{escape_text(name)}"]
    for e in events:
        lines += e
    lines.append("END:VCALENDAR")
    return "".join(fold(line) + "\r\n" for line in lines).encode("utf-8")


def uid(ctx: Context, school: str, policy: str) -> str:
    """Stable across builds: the same school and policy keep the same event, whatever its date."""
    trust = re.sub(r"[^a-z0-9]+", "-", ctx.project.display_name.lower()).strip("-") or "trust"
    return f"review-{policy}-{school}@{trust}.policyc"


def _events(ctx: Context, for_trust: bool, school: str = "") -> list[list[str]]:
    schools = {s.slug: s for s in ctx.project.schools}
    out = []
    for e in sorted(entries(ctx, school or None), key=lambda e: (e.next_review or dt.date.max, e.school_name,
                                                                 e.title)):
        if e.next_review is None or not e.html:  # nothing in force: no review falls due
            continue
        base = schools[e.school_slug].publish_url
        if for_trust:
            page = f"{e.school_slug}/{e.html}"
        else:  # the school's bundle links only to its own public pages
            page = (base.rstrip("/") + "/" + e.html) if base else e.html
        shown = dict(e.written)  # a date written to the month stays as written: "March 2028"
        verb = "adopted" if e.adopted else "ratified"
        ratified = f", {verb} {shown.get('date') or long_date(e.ratified)}" if e.ratified else ""
        due = shown.get("next_review") or long_date(e.next_review)
        lines = [f"The {e.title} of {e.school_name} is due for review by {due}.",
                 f"Version in force: {e.version}{ratified}; approved by the {e.body}.",
                 f"Policy: {page}"]
        if for_trust and e.pending:
            lines.append(f"Awaiting ratification: {e.pending}." + (f" Review pack: {e.pack}" if e.pack else ""))
        out.append(event(uid(ctx, e.school_slug, e.policy_id), e.next_review, ctx.today,
                         f"Review due: {e.title} ({e.school_name})", "\n".join(lines), page))
    return out


def write_school_calendar(out, ctx: Context) -> None:
    school = next(s for s in ctx.project.schools if s.slug == out.school)
    data = calendar(f"Policy reviews – {school.name}", _events(ctx, False, out.school))
    write(inside(ctx.root, out.path), data)


def write_trust_calendar(out, ctx: Context) -> None:
    data = calendar(f"Policy reviews – {ctx.project.display_name}", _events(ctx, True))
    write(inside(ctx.root, out.path), data)


CALENDAR_WRITERS = {"calendar-school": write_school_calendar, "calendar-trust": write_trust_calendar}
