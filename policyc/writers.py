"""Writers, keyed by format: adding DOCX later means one function and one row."""

from __future__ import annotations

import datetime as dt
import posixpath
import shutil
from pathlib import Path
from typing import Callable

from .html import ASSET_DIR, render_page, render_policy
from .model import Project, ResolvedPolicy
from .pdf import render_pdf
from .compare import compare
from .plan import Output, archive_path, redline_path
from .redline import redline_context, version_label
from .status import format_date, standing


def _up(path: str) -> str:
    """The way back to the output folder from a file's folder: '../' per level."""
    return "../" * path.count("/")


def _versions(out: Output, ctx: "Context") -> dict:
    """Links from a policy page to its ratified versions and to what changed, relative to the page."""
    history = out.history
    current = history.current
    def rel(path: str) -> str:
        return posixpath.relpath(path, posixpath.dirname(out.path))
    versions = [{"label": version_label(s.version, s.date), "html": rel(archive_path(current, s.version, "html"))}
                for s in reversed(history.snapshots)]
    links = {"versions": versions, "current": "", "redline": ""}
    if "/archive/" in out.path:
        links["current"] = rel(f"{current.school_slug}/{current.policy_id}.html")
    if history.changed_since and "/archive/" not in out.path:
        links["redline"] = rel(redline_path(history, "html"))
        links["redline_label"] = f"What has changed since version {history.changed_since.version}"
    return links


def write_html(out: Output, ctx: "Context") -> None:
    policy = out.policy
    stem = out.path.rsplit("/", 1)[-1].rsplit(".", 1)[0]
    pdf_name = f"{stem}.pdf" if "pdf" in ctx.formats else ""
    html = render_policy(policy, ctx.today, for_web=True, assets=_up(out.path) + "assets/",
                         pdf_name=pdf_name, links=_versions(out, ctx))
    _write(ctx.root / out.path, html.encode("utf-8"))


def _redline(out: Output, for_pdf: bool) -> str:
    history = out.history
    latest = history.changed_since
    context = redline_context(compare(latest.policy, history.current), history.current,
                              version_label(latest.version, latest.date), "the current text", True)
    return render_page("redline.html.j2", assets="" if for_pdf else _up(out.path) + "assets/", **context)


def write_redline_html(out: Output, ctx: "Context") -> None:
    _write(ctx.root / out.path, _redline(out, for_pdf=False).encode("utf-8"))


def write_redline_pdf(out: Output, ctx: "Context") -> None:
    _write(ctx.root / out.path, render_pdf(_redline(out, for_pdf=True), out.path))


def write_pdf(out: Output, ctx: "Context") -> None:
    policy = out.policy
    html = render_policy(policy, ctx.today, for_web=False, assets="")
    _write(ctx.root / out.path, render_pdf(html, out.path))


def write_assets(out: Output, ctx: "Context") -> None:
    target = ctx.root / "assets"
    shutil.rmtree(target, ignore_errors=True)
    shutil.copytree(ASSET_DIR, target)


def _entry(policy: ResolvedPolicy, ctx: "Context") -> dict:
    r = policy.ratification
    has_pdf = "pdf" in ctx.formats and (ctx.root / policy.school_slug / f"{policy.policy_id}.pdf").exists()
    return {
        "title": policy.title, "html": f"{policy.policy_id}.html",
        "pdf": f"{policy.policy_id}.pdf" if has_pdf else "",
        "version": r.version, "body": policy.body,
        "ratified": format_date(r.date) if r.status == "ratified" else "",
        "next_review": format_date(r.next_review), "standing": standing(r, ctx.today, policy.in_force),
        "school_slug": policy.school_slug, "school_name": policy.school_name,
    }


def write_school_index(out: Output, ctx: "Context") -> None:
    school = next(s for s in ctx.project.schools if s.slug == out.school)
    entries = [_entry(p, ctx) for p in ctx.policies if p.school_slug == out.school]
    html = render_page("school_index.html.j2", school=school, entries=entries,
                       trust_name=ctx.project.trust.name, assets="../assets/")
    _write(ctx.root / out.path, html.encode("utf-8"))


def write_trust_index(out: Output, ctx: "Context") -> None:
    phases = {s.slug: s.phase.replace("-", " ") for s in ctx.project.schools}
    entries = [dict(_entry(p, ctx), phase=phases[p.school_slug]) for p in ctx.policies]
    html = render_page("trust_index.html.j2", entries=entries, trust_name=ctx.project.trust.name,
                       assets="assets/")
    _write(ctx.root / out.path, html.encode("utf-8"))


def _write(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)


class Context:
    """What every writer may read: the output root, the checked project, today."""

    def __init__(self, root: Path, project: Project, policies: list[ResolvedPolicy],
                 formats: tuple[str, ...], today: dt.date) -> None:
        self.root, self.project, self.policies = root, project, policies
        self.formats, self.today = formats, today


WRITERS: dict[str, Callable[[Output, Context], None]] = {
    "assets": write_assets,
    "html": write_html,
    "pdf": write_pdf,
    "redline-html": write_redline_html,
    "redline-pdf": write_redline_pdf,
    "school-index": write_school_index,
    "trust-index": write_trust_index,
}
