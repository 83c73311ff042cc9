"""Writers, keyed by format: adding DOCX later means one function and one row."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path
from typing import Callable

from .html import ASSET_DIR, render_page, render_policy
from .model import Project, ResolvedPolicy
from .pdf import render_pdf
from .plan import Output
from .status import format_date, standing


def write_html(out: Output, ctx: "Context") -> None:
    policy = out.policy
    pdf_name = f"{policy.policy_id}.pdf" if "pdf" in ctx.formats else ""
    html = render_policy(policy, ctx.today, for_web=True, assets="../assets/", pdf_name=pdf_name)
    _write(ctx.root / out.path, html.encode("utf-8"))


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
    "school-index": write_school_index,
    "trust-index": write_trust_index,
}
