"""Turn schema-valid source data into the document model, checking dates as it goes."""

from __future__ import annotations

import calendar
import datetime as dt
import re
from typing import Optional

from policyc.errors import Position, Problems
from policyc.model import (
    DEFAULT_BLOCK,
    Accessibility,
    DEFAULT_COLUMNS,
    Addition,
    BlockLayout,
    BlockRow,
    ChangeColumn,
    ChangeEntry,
    Clause,
    ClauseBody,
    Compliance,
    Contents,
    Elsewhere,
    HouseStyle,
    ListItem,
    Duties,
    ModelPolicy,
    Option,
    Overlay,
    Ratification,
    Requirement,
    RoleHolder,
    School,
    Section,
    Signatory,
    Trust,
    item_texts,
)
from policyc.source.read import SourceFile
from policyc.text.dates import parse_written

EARLIEST, LATEST = dt.date(1900, 1, 1), dt.date(2200, 12, 31)
_MONTHS = ("January February March April May June July August September October November December").split()


def date_hint(value: str) -> str:
    """Why a date is wrong: a day the month does not have, or the wrong way of writing it."""
    match = re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", value)
    if match:
        year, month, day = (int(g) for g in match.groups())
        if 1 <= month <= 12:
            last = calendar.monthrange(year, month)[1]
            return f"{_MONTHS[month - 1]} {year} has {last} days"
        return "the month comes second and runs from 01 to 12"
    parts = re.fullmatch(r"(\d{1,2})[-/.](\d{1,2})[-/.](\d{4}|\d{2})", value.strip())
    if parts:
        day, month, year = (int(g) for g in parts.groups())
        year += 2000 if year < 100 else 0
        if month > 12 and day <= 12:  # month first, as in the United States
            day, month = month, day
        if not 1 <= month <= 12:
            return "write dates as YYYY-MM-DD; the month runs from 01 to 12"
        last = calendar.monthrange(year, month)[1]
        if not 1 <= day <= last:
            return (f"there is no {day} {_MONTHS[month - 1]} {year} ({_MONTHS[month - 1]} has {last} days); "
                    f"write dates as YYYY-MM-DD, such as {year}-{month:02d}-{last:02d}")
        return f"write dates as YYYY-MM-DD: {year}-{month:02d}-{day:02d}"
    return "write the date as YYYY-MM-DD, for example 2026-09-30"


class Loader:
    """Reads one source file's data; every value is looked up with its path for positions."""

    def __init__(self, source: SourceFile, problems: Problems) -> None:
        self.source = source
        self.problems = problems

    def at(self, path: tuple) -> Position:
        return self.source.at(path)

    def date(self, value: Optional[str], path: tuple) -> Optional[dt.date]:
        if value is None:
            return None
        try:
            day = dt.date.fromisoformat(value)
        except ValueError:
            self.problems.error(self.at(path), f"{value!r} is not a real date", date_hint(value))
            return None
        if not EARLIEST <= day <= LATEST:
            self.problems.error(self.at(path), f"{value} is not a plausible date for a school policy",
                                f"dates run from {EARLIEST.year} to {LATEST.year}; check the year")
            return None
        return day

    # --- shared parts ---------------------------------------------------------

    def pairs(self, data: Optional[dict]) -> tuple[tuple[str, str], ...]:
        return tuple((k, str(v)) for k, v in (data or {}).items())

    def history(self, entries: Optional[list], path: tuple) -> tuple[ChangeEntry, ...]:
        result = []
        for i, e in enumerate(entries or []):
            when = self.date(e["date"], path + (i, "date"))
            if when:
                result.append(ChangeEntry(when, e["summary"], e.get("paragraphs", ""),
                                          str(e.get("version", "")), e.get("owner", "")))
        return tuple(result)

    def body(self, data: dict, path: tuple) -> ClauseBody:
        duties = None
        if "duties" in data:
            d = data["duties"]
            duties = Duties(d.get("must", {}).get("lead", ""), tuple(d.get("must", {}).get("items", ())),
                            d.get("must_not", {}).get("lead", ""), tuple(d.get("must_not", {}).get("items", ())))
        children = tuple(self.clause(c, path + ("clauses", i))
                         for i, c in enumerate(data.get("clauses") or []))
        return ClauseBody(data.get("title", ""), data.get("text", "") or "", list_items(data.get("items", ())),
                          data.get("list", ""), data.get("after", "") or "", duties, children)

    def clause(self, data: dict, path: tuple, origin: str = "model") -> Clause:
        choices = tuple(
            (key, None if choice is None else self.body(choice, path + ("choices", key)))
            for key, choice in (data.get("choices") or {}).items())
        return Clause(data["id"], self.body(data, path), self.at(path), data.get("numbered"),
                      tuple(data.get("phases", ())), data.get("option", ""), choices, origin,
                      change_of(data.get("change")), self.reason_at(path))

    def section(self, data: dict, path: tuple, origin: str = "model") -> Section:
        clauses = tuple(self.clause(c, path + ("clauses", i), origin)
                        for i, c in enumerate(data.get("clauses") or []))
        return Section(data["id"], data["kind"], data["title"], clauses, self.at(path),
                       data.get("numbered", True), data.get("number_clauses", True),
                       tuple(data.get("phases", ())), origin, data.get("contents_title", ""),
                       change_of(data.get("change")), self.reason_at(path))

    def reason_at(self, path: tuple, key: str = "change") -> Position:
        """Where a `change:` (or a `reasons:` entry) writes its reason: a sentence, or its reason:."""
        return self.at(path + (key, "reason"))

    # --- files ------------------------------------------------------------------

    def trust(self) -> Trust:
        d = self.source.data
        columns = tuple(ChangeColumn(c["field"], c["heading"], c.get("format", "numeric"))
                        for c in (d.get("change_table") or {}).get("columns", ())) or DEFAULT_COLUMNS
        block = self.rows(d.get("ratification_block", ())) or DEFAULT_BLOCK
        return Trust(name=d.get("name", ""), approving_body=d["approving_body"], source=self.source.name,
                     short_name=d.get("short_name", ""), type=d.get("type", ""), website=d.get("website", ""),
                     roles=self.pairs(d.get("roles")), terms=self.pairs(d.get("terms")),
                     values=self.pairs(d.get("values")), change_columns=columns, ratification_block=block,
                     unratified=(d.get("publish") or {}).get("unratified", "omit"),
                     board=d.get("board", "Board of Trustees"),
                     layout=self.layout(d.get("ratification_layout")) or BlockLayout(),
                     row_positions=tuple(self.at(("ratification_block", i))
                                         for i in range(len(d.get("ratification_block") or ()))),
                     word_download=(d.get("publish") or {}).get("word_download", False),
                     web_managers=(d.get("publish") or {}).get("web_managers", False),
                     compliance=self.compliance(d.get("compliance") or {}),
                     accessibility=accessibility_of(d.get("accessibility")),
                     house_style=self.house_style(d.get("house_style") or {}))

    def house_style(self, d: dict) -> HouseStyle:
        return HouseStyle(uncontrolled_note=bool(d.get("uncontrolled_note", False)), owner=d.get("owner", ""),
                          owner_at=self.at(("house_style", "owner")) if "owner" in d else None)

    def compliance(self, d: dict) -> Compliance:
        at = self.at
        positions = [(f"check.{i}", at(("compliance", "check", i))) for i in range(len(d.get("check") or ()))]
        positions += [(f"levels.{k}", at(("compliance", "levels", k))) for k in (d.get("levels") or {})]
        own = tuple(self.requirement(r, ("compliance", "requirements", i))
                    for i, r in enumerate(d.get("requirements") or ()))
        return Compliance(check=tuple(d.get("check") or ()), levels=self.pairs(d.get("levels")),
                          review=tuple((k, v, at(("compliance", "review", k)))
                                       for k, v in (d.get("review") or {}).items()),
                          requirements=own, positions=tuple(positions))

    def requirement(self, d: dict, path: tuple) -> Requirement:
        return requirement_of(d, self.at(path))

    def policy(self) -> ModelPolicy:
        d = self.source.data
        contents_data = d.get("contents", True)
        if isinstance(contents_data, dict):
            contents = Contents(True, contents_data.get("title", "Contents"), contents_data.get("note", ""))
        else:
            contents = Contents(bool(contents_data))
        options = tuple(Option(k, o["label"], o["default"], tuple(o["choices"].items()))
                        for k, o in (d.get("options") or {}).items())
        sections = tuple(self.section(s, ("sections", i)) for i, s in enumerate(d["sections"]))
        positions = {key: self.at(path) for key, path in (("title", ("title",)), ("subtitle", ("subtitle",)),
                                                          ("preamble", ("preamble",)), ("opening", ("opening",)),
                                                          ("contents.note", ("contents", "note")),
                                                          ("owner", ("owner",)))}
        positions.update({f"history.{i}": self.at(("history", i)) for i in range(len(d.get("history") or ()))})
        positions.update({f"values.{k}": self.at(("values", k)) for k in (d.get("values") or {})})
        positions.update({f"meets.{i}": self.at(("meets", i)) for i in range(len(d.get("meets") or ()))})
        positions.update({f"applies_to.schools.{i}": self.at(("applies_to", "schools", i))
                          for i in range(len((d.get("applies_to") or {}).get("schools") or ()))})
        positions.update({f"reasons.{k}": self.reason_at(("reasons",), k) for k in (d.get("reasons") or {})})
        rows = ((d.get("ratification_layout") or {}).get("rows") or ()) if isinstance(d.get("ratification_layout"), dict) else ()
        positions.update({f"layout.rows.{i}": self.at(("ratification_layout", "rows", i)) for i in range(len(rows))})
        return ModelPolicy(id=d["id"], title=d["title"], sections=sections, source=self.source.name,
                           subtitle=d.get("subtitle", ""), numbering=d.get("numbering", "1.1"),
                           review_cycle=d.get("review_cycle", ""), contents=contents,
                           preamble=d.get("preamble", "") or "", options=options,
                           values=self.pairs(d.get("values")),
                           history=self.history(d.get("history"), ("history",)),
                           positions=tuple(positions.items()),
                           approver=d.get("approver", "school"), approving_body=d.get("approving_body", ""),
                           layout=self.layout_changes(d.get("ratification_layout")),
                           opening=d.get("opening", "") or "",
                           phases=tuple((d.get("applies_to") or {}).get("phases", ())),
                           schools=tuple((d.get("applies_to") or {}).get("schools", ())),
                           reasons=reasons_of(d.get("reasons")),
                           meeting=self.date(d.get("meeting"), ("meeting",)),
                           meets=tuple(d.get("meets") or ()), owner=d.get("owner", ""))

    def school(self, slug: str) -> School:
        d = self.source.data
        roles = tuple((k, RoleHolder(v.get("title", ""), v.get("name", "")))
                      for k, v in (d.get("roles") or {}).items())
        overlays = tuple(self.overlay(pid, o or {}, ("policies", pid))
                         for pid, o in (d.get("policies") or {}).items())
        return School(slug=slug, name=d.get("name", ""), phase=d.get("phase", ""), source=self.source.name,
                      short_name=d.get("short_name", ""), website=d.get("website", ""),
                      approving_body=d.get("approving_body", ""), roles=roles,
                      terms=self.pairs(d.get("terms")), values=self.pairs(d.get("values")), overlays=overlays,
                      publish_url=d.get("publish_url", ""), type=d.get("type", ""),
                      boarding=bool(d.get("boarding", False)), sixth_form=bool(d.get("sixth_form", False)),
                      elsewhere=tuple(Elsewhere(requirement=k, url=(v or {}).get("url", ""),
                                                note=(v or {}).get("note", ""), position=self.at(("elsewhere", k)))
                                      for k, v in (d.get("elsewhere") or {}).items()),
                      accessibility=accessibility_of(d.get("accessibility")))

    def overlay(self, policy_id: str, d: dict, path: tuple) -> Overlay:
        options = tuple((k, v, self.at(path + ("options", k))) for k, v in (d.get("options") or {}).items())
        remove = tuple((r, self.at(path + ("remove", i))) for i, r in enumerate(d.get("remove", ())))
        replace = tuple(
            self.section(r, path + ("replace", i), "replaced") if "kind" in r
            else self.clause(r, path + ("replace", i), "replaced")
            for i, r in enumerate(d.get("replace", ())))
        add = []
        for i, a in enumerate(d.get("add", ())):
            p = path + ("add", i)
            add.append(Addition(
                self.at(p), a.get("after", ""), a.get("before", ""), a.get("into", ""),
                self.clause(a["clause"], p + ("clause",), "added") if "clause" in a else None,
                self.section(a["section"], p + ("section",), "added") if "section" in a else None))
        ratification, rpos = Ratification(), None
        if "ratification" in d:
            ratification = self.ratification(d["ratification"], path + ("ratification",))
            rpos = self.at(path + ("ratification",))
        return Overlay(policy_id, self.at(path), d.get("title", ""), options,
                       self.pairs(d.get("values")), remove, replace, tuple(add), ratification, rpos,
                       self.history(d.get("history"), path + ("history",)), d.get("applies"),
                       d.get("reason", ""), reasons_of(d.get("reasons")),
                       tuple((k, self.reason_at(path + ("reasons",), k)) for k in (d.get("reasons") or {})))

    def ratification(self, d: dict, path: tuple) -> Ratification:
        signatories = tuple(Signatory(s["name"], s["role"]) for s in d.get("signatories", ()))
        version = d.get("version")
        written: dict[str, str] = {}
        def when(name: str, end: bool = False) -> Optional[dt.date]:
            """A full date, or a month or year kept as written (its first day, or last for an end)."""
            value = d.get(name)
            period = parse_written(value) if value is not None else None
            if period is None:
                return self.date(value, path + (name,))
            written[name] = period.written
            return period.last if end else period.first
        date, next_review, updated = when("date"), when("next_review", end=True), when("updated")
        return Ratification(d["status"], d.get("body", ""), date,
                            d.get("minute", ""), signatories, "" if version is None else str(version),
                            d.get("issued", ""), d.get("review_cycle", ""), next_review, updated,
                            tuple(written.items()), self.date(d.get("meeting"), path + ("meeting",)))

    def layout(self, d: Optional[dict]) -> Optional[BlockLayout]:
        if d is None:
            return None
        heading = d.get("heading", "Ratification")
        return BlockLayout(d.get("position", "start"), heading or "", d.get("status_line", True),
                           self.rows(d.get("rows", ())))

    def layout_changes(self, d: Optional[dict]) -> tuple[tuple[str, object], ...]:
        """Only what a policy says, so the trust's house style fills in the rest."""
        if not d:
            return ()
        full = self.layout(d)
        return tuple((k, getattr(full, k)) for k in ("position", "heading", "status_line", "rows") if k in d)

    def rows(self, rows) -> tuple[BlockRow, ...]:
        return tuple(BlockRow(r["label"], r["value"], r.get("format", "long"), tuple(r.get("roles", ())),
                              r.get("after", "")) for r in rows)


def requirement_of(d: dict, where: Optional[Position]) -> Requirement:
    """A requirement as the shipped list and a trust's compliance.requirements write it."""
    sources = d.get("source") or ()
    return Requirement(id=d["id"], name=d["name"], types=tuple(d.get("types") or ()),
                       phases=tuple(d.get("phases") or ()), boarding=bool(d.get("boarding", False)),
                       sixth_form=bool(d.get("sixth_form", False)), review=str(d.get("review", "") or ""),
                       approval=d.get("approval", "") or "", publish=tuple(d.get("publish") or ()),
                       sources=(sources,) if isinstance(sources, str) else tuple(sources),
                       note=(d.get("note") or "").strip(), position=where)


def accessibility_of(d: Optional[dict]) -> Accessibility:
    """`accessibility:` as written, each value trimmed; an address keeps its lines."""
    d = d or {}
    address = "\n".join(line.strip() for line in str(d.get("address", "")).strip().splitlines() if line.strip())
    return Accessibility(contact=" ".join(str(d.get("contact", "")).split()), email=str(d.get("email", "")).strip(),
                         phone=" ".join(str(d.get("phone", "")).split()), address=address)


def change_of(data) -> tuple[str, ...]:
    """A clause's `change:` (why it was edited, and who proposed it): a sentence, or
    {reason: ..., by: ...}; () when there is none."""
    if not data:
        return ()
    if isinstance(data, str):
        return (" ".join(data.split()), "")
    return (" ".join(str(data.get("reason", "")).split()), " ".join(str(data.get("by", "") or "").split()))


def reasons_of(data) -> tuple[tuple[str, str, str], ...]:
    """A policy's or overlay's `reasons:` ({id: change}), for what it removed or would rather not annotate inline."""
    return tuple((item_id, *change_of(value)) for item_id, value in (data or {}).items() if change_of(value))


def list_items(items) -> tuple:
    """Plain strings stay strings; an item with `items:` of its own becomes a ListItem."""
    return tuple(ListItem(i.get("text", "") or "", list_items(i.get("items", ())), i.get("list", ""))
                 if isinstance(i, dict) else i for i in items or ())


def walk_clauses(clauses: tuple[Clause, ...]):
    """Every clause, its sub-clauses and the sub-clauses of every choice, depth first."""
    for clause in clauses:
        yield clause
        yield from walk_clauses(clause.body.clauses)
        for _, choice in clause.choices:
            if choice is not None:
                yield from walk_clauses(choice.clauses)


def ids_of(sections) -> dict[str, Position]:
    """Every section and clause id in `sections`, with where it was first written."""
    found: dict[str, Position] = {}
    for section in sections:
        found.setdefault(section.id, section.position)
        for clause in walk_clauses(section.clauses):
            found.setdefault(clause.id, clause.position)
    return found


def as_section(clause: Clause) -> Section:
    """Wrap a lone clause (an overlay's added or replacing clause) so section walkers can read it."""
    return Section("", "general", "", (clause,), clause.position)


def texts(body: ClauseBody) -> list[str]:
    """Every piece of authored text in a clause body (not its sub-clauses)."""
    out = [body.title, body.text, *item_texts(body.items), body.after]
    if body.duties:
        d = body.duties
        out += [d.must_lead, *d.must, d.must_not_lead, *d.must_not]
    return [t for t in out if t]


