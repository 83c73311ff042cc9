"""The publishable bundle around the documents: indexes, registers, a CMS fragment, a
sitemap, and the trust's review dashboard. Written after the documents, so PDF sizes
are known."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections import Counter
from dataclasses import dataclass
from typing import Callable, Optional
from xml.sax.saxutils import escape as xml_escape

from policyc.compile.applicability import coverage
from policyc.compile.resolve import trust_title
from policyc.history.status import Standing, standing
from policyc.text.dates import format_date
from policyc.names import inside
from policyc.outputs import formats
from policyc.outputs import layout
from policyc.outputs.layout import archive_path, pack_path, public_path, redline_path, review_path
from policyc.outputs.plan import Output
from policyc.render.html import render_page
from policyc.render.writers import Context, write

DUE_SOON_DAYS = 60


@dataclass(frozen=True, kw_only=True)
class Entry:
    """One school's policy as the indexes, registers and dashboard describe it."""

    school_slug: str
    school_name: str
    phase: str
    policy_id: str
    title: str
    version: str
    body: str
    ratified: Optional[dt.date]
    next_review: Optional[dt.date]
    standing: Standing
    html: str  # relative to the school's folder; empty while the policy is in preparation
    pdf: str
    pdf_bytes: int
    archive: tuple[dict, ...]
    pending: str = ""  # what awaits ratification: "version 2.1 (proposed)", "draft", "approved"
    review: str = ""  # the pending text's page, relative to the output folder (the review area)
    redline: str = ""  # what changed, relative to the output folder (the review area)
    approver: str = "school"  # who approves it: "trust" (the board, once for every school) or "school"
    adopted: bool = False  # the version in force was adopted rather than ratified
    written: tuple[tuple[str, str], ...] = ()  # dates written to the month ("March 2025"), as Ratification.written
    pack: str = ""  # the review pack for the meeting that decides the pending text, relative to the output folder

    def date_text(self, field: str) -> str:
        """`ratified` or `next_review` as the record writes it: "March 2025" stays a month, never
        "1 March 2025"; a full date in the one format every page uses."""
        name = {"ratified": "date"}.get(field, field)
        return dict(self.written).get(name, "") or format_date(getattr(self, field))

    @property
    def pdf_size(self) -> str:
        if self.pdf_bytes < 1024 * 1024:
            return f"{max(1, round(self.pdf_bytes / 1024))} KB"
        return f"{self.pdf_bytes / (1024 * 1024):.1f} MB"

    def bucket(self, today: dt.date) -> str:
        """Where this sits on the review dashboard: reviews are due by the version in force."""
        key = self.standing.key
        if key == "overdue":
            return "overdue"
        if key == "preparation":
            return "never-ratified"
        if self.next_review and (self.next_review - today).days <= DUE_SOON_DAYS:
            return "due-soon"
        if self.pending:
            return "changed"
        return "up-to-date"


BUCKETS = {
    "overdue": "Review overdue",
    "due-soon": f"Review due in the next {DUE_SOON_DAYS} days",
    "changed": "Changed since ratification, awaiting ratification",
    "never-ratified": "Never ratified",
    "up-to-date": "Up to date",
}


def entries(ctx: Context, school: Optional[str] = None) -> list[Entry]:
    """Every policy as the trust's own pages describe it, made once per build: the site files
    are written after every document, so the PDF sizes are final by then (ctx.sizes)."""
    if ctx.site_entries is None:
        ctx.site_entries = _all_entries(ctx)
        ctx.entries_of = {}
        for e in ctx.site_entries:
            ctx.entries_of.setdefault(e.school_slug, []).append(e)
    return list(ctx.site_entries) if not school else list(ctx.entries_of.get(school, ()))


def public_entries(ctx: Context, school: str) -> list[Entry]:
    """What a school's public bundle lists (its index, fragment, registers, sitemap): a policy
    never ratified only when the trust says `publish: {unratified: list}`. The dashboard and
    the trust's index list every one, so the trust still sees what is in preparation."""
    listed = ctx.project.trust.unratified == "list"
    return [e for e in entries(ctx, school) if listed or e.standing is not PREPARATION]


PREPARATION = Standing("preparation", "In preparation: not yet ratified", False)


def _all_entries(ctx: Context) -> list[Entry]:
    """One entry per school's policy, describing the version in force (what is published).
    An entry reads its history, its school, the date, the formats and its PDF's size; with
    a session's memo (ctx.entry_memo) one whose inputs are the same is the entry made before."""
    schools = {s.slug: s for s in ctx.project.schools}
    printed = formats.get(formats.PRINTED).suffix
    memo, kept = ctx.entry_memo, {}
    out = []
    for history in ctx.histories:
        current = history.current
        school = schools[current.school_slug]
        size = ctx.sizes.get(public_path(current, printed))
        if memo is None:
            out.append(_entry(history, school, size, ctx.today, ctx.formats))
            continue
        held = memo.get(id(history))
        if held is None or held[0] is not history or held[1] is not school or held[2] != (size, ctx.today,
                                                                                       ctx.formats):
            held = (history, school, (size, ctx.today, ctx.formats),
                    _entry(history, school, size, ctx.today, ctx.formats))
        kept[id(history)] = held
        out.append(held[3])
    if memo is not None:  # only this build's: the memo holds no history gone from the sources
        memo.clear()
        memo.update(kept)
    return out


def _entry(history, school, size: Optional[int], today: dt.date, built: tuple[str, ...]) -> Entry:
    page, printed = formats.get(formats.PAGE).suffix, formats.get(formats.PRINTED).suffix
    current, in_force = history.current, history.in_force
    shown = in_force or current
    r = shown.ratification
    index = layout.school_file(current.school_slug, layout.SCHOOL_INDEX)  # the entry's links are from here
    archive = tuple({"version": s.version, "ratified": s.date.isoformat(),
                     "html": layout.relative(archive_path(current, s.version, page), index),
                     "pdf": layout.relative(archive_path(current, s.version, printed), index)}
                    for s in reversed(history.snapshots))
    published = in_force is not None
    has_pdf = published and size is not None
    return Entry(
        school_slug=current.school_slug, school_name=school.label, phase=school.phase.replace("-", " "),
        policy_id=current.policy_id, title=shown.title, version=r.version if published else "",
        body=shown.body, ratified=r.date if published else None,
        next_review=r.next_review if published else None,
        standing=standing(r, today) if published else PREPARATION,
        html=layout.relative(public_path(current, page), index) if published else "",
        pdf=layout.relative(public_path(current, printed), index) if has_pdf else "",
        pdf_bytes=size if has_pdf else 0, archive=archive,
        pending=_pending(history) if history.pending else "",
        review=review_path(current, page) if history.pending else "",
        redline=redline_path(history, page) if history.changed_since else "", approver=current.approver,
        adopted=published and r.status == "adopted", written=r.written if published else (),
        pack=pack_path(current, page) if history.pending and formats.PAGE in built else "")


def _pending(history) -> str:
    if history.changed_since is not None:
        return f"version {history.proposed_version} proposed" if history.proposed_version else "changes proposed"
    status = history.current.ratification.status
    return "approved, awaiting ratification" if status == "approved" else "draft"


def _school(ctx: Context, slug: str):
    return next(s for s in ctx.project.schools if s.slug == slug)


def write_school_index(out: Output, ctx: Context) -> None:
    html = render_page("school_index.html.j2", school=_school(ctx, out.school), entries=public_entries(ctx, out.school),
                       trust_name=ctx.project.display_name, assets=layout.assets_for(out.path),
                       format_date=format_date, web_managers=ctx.project.trust.web_managers,
                       accessibility=layout.relative(layout.school_file(out.school, layout.ACCESSIBILITY), out.path))
    write(inside(ctx.root, out.path), html.encode("utf-8"))


def write_fragment(out: Output, ctx: Context) -> None:
    html = render_page("fragment.html.j2", school=_school(ctx, out.school), entries=public_entries(ctx, out.school),
                       format_date=format_date)
    write(inside(ctx.root, out.path), html.encode("utf-8"))


def _record(e: Entry) -> dict:
    return {
        "policy": e.policy_id, "title": e.title, "version": e.version, "status": e.standing.key,
        "status_label": e.standing.label, "approving_body": e.body,
        "ratified": e.ratified.isoformat() if e.ratified else "",
        "next_review": e.next_review.isoformat() if e.next_review else "",
        "awaiting_ratification": e.pending,
        "html": e.html, "pdf": e.pdf, "pdf_bytes": e.pdf_bytes,
    }


def write_register_json(out: Output, ctx: Context) -> None:
    school = _school(ctx, out.school)
    data = {"school": school.name, "slug": school.slug, "trust": ctx.project.display_name,
            "generated_for": ctx.today.isoformat(),
            "policies": [dict(_record(e), archive=list(e.archive)) for e in public_entries(ctx, out.school)]}
    write(inside(ctx.root, out.path), (json.dumps(data, indent=2, ensure_ascii=False) + "\n").encode("utf-8"))


def write_register_csv(out: Output, ctx: Context) -> None:
    rows = [_record(e) for e in public_entries(ctx, out.school)]
    buffer = io.StringIO()
    fields = list(rows[0]) if rows else ["policy"]
    writer = csv.DictWriter(buffer, fieldnames=fields, lineterminator="\n")
    writer.writeheader()
    writer.writerows({k: spreadsheet_safe(v) for k, v in row.items()} for row in rows)
    write(inside(ctx.root, out.path), buffer.getvalue().encode("utf-8"))


FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value: object) -> object:
    """A cell that Excel would run as a formula is prefixed with ' (OWASP's rule for CSV injection)."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def write_sitemap(out: Output, ctx: Context) -> None:
    """Every page of the bundle; absolute when the school says where it is published."""
    school = _school(ctx, out.school)
    base = school.publish_url.rstrip("/") + "/" if school.publish_url else ""
    pages = [layout.SCHOOL_INDEX, layout.ACCESSIBILITY]
    for e in public_entries(ctx, out.school):
        pages.append(e.html)
        pages += [a["html"] for a in e.archive]
    lines = ['<?xml version="1.0" encoding="UTF-8"?>',
             '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">']
    for page in pages:
        lines.append(f"  <url><loc>{xml_escape(base + page)}</loc></url>")
    lines.append("</urlset>")
    write(inside(ctx.root, out.path), ("\n".join(lines) + "\n").encode("utf-8"))


def write_trust_index(out: Output, ctx: Context) -> None:
    html = render_page("trust_index.html.j2", entries=entries(ctx), trust_name=ctx.project.display_name,
                       assets=layout.assets_for(out.path), format_date=format_date)
    write(inside(ctx.root, out.path), html.encode("utf-8"))


def policy_coverage(ctx: Context) -> list[dict]:
    """Each school with each model policy: its page, or why it does not have it."""
    built = {(e.school_slug, e.policy_id): e for e in entries(ctx)}
    titles = {p.id: column_title(ctx, p.id, built) for p in ctx.project.policies}
    rows: dict[str, dict] = {}
    for item in coverage(ctx.project):
        school = next(s for s in ctx.project.schools if s.slug == item.school_slug)
        row = rows.setdefault(school.slug, {"slug": school.slug, "name": school.label, "cells": []})
        entry = built.get((item.school_slug, item.policy_id))
        # The public page when a version is in force; the dashboard, the trust's own page, may
        # point a policy still in preparation at its proposed text in the review area.
        href = ""
        if entry and entry.html:
            href = f"{school.slug}/{entry.html}"
        elif entry and entry.review:
            href = entry.review
        row["cells"].append({"policy": titles[item.policy_id], "title": entry.title if entry else titles[item.policy_id],
                             "applies": item.applies, "reason": item.reason,
                             "href": href, "in_force": bool(entry and entry.html)})
    return list(rows.values())


def column_title(ctx: Context, policy_id: str, built: dict) -> str:
    """A model policy's name over the dashboard's column: in the trust's words, or, where its
    title names the school, as most of the schools' copies are titled."""
    policy = next(p for p in ctx.project.policies if p.id == policy_id)
    title = trust_title(ctx.project, policy)
    if title:
        return title
    seen = Counter(e.title for (_, pid), e in built.items() if pid == policy_id)
    return seen.most_common(1)[0][0] if seen else policy_id.replace("-", " ").capitalize()


def write_dashboard(out: Output, ctx: Context) -> None:
    groups = review_groups(entries(ctx), ctx.today)
    html = render_page("dashboard.html.j2", groups=groups, buckets=BUCKETS, trust_name=ctx.project.display_name,
                       today=format_date(ctx.today), assets=layout.assets_for(out.path), format_date=format_date,
                       days=DUE_SOON_DAYS, coverage=policy_coverage(ctx))
    write(inside(ctx.root, out.path), html.encode("utf-8"))


def review_groups(all_entries: list[Entry], today: dt.date) -> dict[str, list[Entry]]:
    groups: dict[str, list[Entry]] = {key: [] for key in BUCKETS}
    for e in sorted(all_entries, key=lambda e: (e.next_review or dt.date.max, e.school_name)):
        groups[e.bucket(today)].append(e)
    return groups


SITE_WRITERS: dict[str, Callable[[Output, Context], None]] = {
    "school-index": write_school_index,
    "fragment": write_fragment,
    "register-json": write_register_json,
    "register-csv": write_register_csv,
    "sitemap": write_sitemap,
    "trust-index": write_trust_index,
    "dashboard": write_dashboard,
}


def status_groups(checked, today: dt.date, output_root) -> dict[str, list[Entry]]:
    """Every school's policy in its review group (BUCKETS), as the dashboard shows it."""
    ctx = Context(output_root, checked.project, checked.histories, (), today)
    return review_groups(entries(ctx), today)
