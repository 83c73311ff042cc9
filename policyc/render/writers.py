"""Writers, keyed by format: adding DOCX later means one function and one row."""

from __future__ import annotations

import datetime as dt
import posixpath
import shutil
from copy import copy as copy_object
from dataclasses import replace as copy
from pathlib import Path
from typing import Callable

from policyc.engine.plan import BOARD, REVIEW, Output, archive_path, public_path, redline_path, review_path
from policyc.history.attach import sibling_pages
from policyc.history.compare import compare
from policyc.model import Project, ResolvedPolicy
from policyc.names import inside
from policyc.render.changes import build_redline
from policyc.render.html import render_page, render_policy
from policyc.render.redline import redline_context, version_label
from policyc.resources import ASSET_DIR


# The PDF and Word libraries take seconds to import: each is loaded when its format is first written.
def render_pdf(*args, **kwargs) -> bytes:
    from policyc.render.pdf import render_pdf as render
    return render(*args, **kwargs)


def render_docx(*args, **kwargs) -> bytes:
    from policyc.render.docx import render_docx as render
    return render(*args, **kwargs)


def render_redline_docx(*args, **kwargs) -> bytes:
    from policyc.render.docx_redline import render_redline_docx as render
    return render(*args, **kwargs)


def assets_for(path: str) -> str:
    """The relative way from a file to its assets: each school folder carries its own copy,
    so a school's bundle works uploaded on its own."""
    if "/" not in path:
        return "assets/"
    parts = path.split("/")
    if parts[:2] == [REVIEW, BOARD]:  # the trust board's review packs: the trust's own assets
        return posixpath.relpath("assets", posixpath.dirname(path)) + "/"
    school = parts[1] if parts[0] == REVIEW else parts[0]  # the review area borrows the school's assets
    return posixpath.relpath(f"{school}/assets", posixpath.dirname(path)) + "/"


def _versions(out: Output, ctx: "Context") -> dict:
    """Links from a policy page to its ratified versions and to what changed, relative to the page."""
    history = out.history
    current = history.current
    def rel(path: str) -> str:
        return posixpath.relpath(path, posixpath.dirname(out.path))
    versions = [{"label": version_label(s.version, s.date), "html": rel(archive_path(current, s.version, "html"))}
                for s in reversed(history.snapshots)]
    links = {"versions": versions, "current": "", "redline": "",
             "index": rel(f"{current.school_slug}/index.html")}
    if "/archive/" in out.path and history.in_force is not None:
        links["current"] = rel(public_path(current, "html"))
    if history.changed_since and out.path.startswith(f"{REVIEW}/"):  # public pages never link to the review area
        links["redline"] = rel(redline_path(history, "html"))
        links["redline_label"] = f"What has changed since version {history.changed_since.version}"
    return links


def _placed_links(out: Output, ctx: "Context") -> ResolvedPolicy:
    """Point each [[policy]] link at the sibling's page as it really exists, relative to this
    page: its public copy when a version is in force; from the review area, its proposed copy
    otherwise. A public page never links into the review area: there the words stand alone."""
    policy = out.policy
    if not policy.policy_links:
        return policy
    school = policy.school_slug
    in_review = out.path.startswith(f"{REVIEW}/")
    pages = {}
    for policy_id, public, pending in ctx.siblings.get(school, ()):
        if public:
            pages[policy_id] = public_path(policy, "html", policy_id)
        elif in_review and pending:
            pages[policy_id] = review_path(policy, "html", policy_id)
    here = posixpath.dirname(out.path)
    placed = []
    for ref, words, page in policy.policy_links:
        target, _, anchor = ref.partition("#")
        href = ""
        if target in pages:
            href = posixpath.relpath(pages[target], here) + (f"#{anchor}" if anchor else "")
        placed.append((ref, words, href))
    return copy(policy, policy_links=tuple(placed))


def write_html(out: Output, ctx: "Context") -> None:
    policy = _placed_links(out, ctx)
    stem = out.path.rsplit("/", 1)[-1].rsplit(".", 1)[0]
    pdf_name = f"{stem}.pdf" if "pdf" in ctx.formats else ""
    # The Word file is for editing: the review area always links it, a public page only when the trust says so.
    offered = policy.word_download or out.path.startswith("review/")
    docx_name = f"{stem}.docx" if "docx" in ctx.formats and offered else ""
    html = render_policy(policy, ctx.today, for_web=True, assets=assets_for(out.path),
                         pdf_name=pdf_name, links=_versions(out, ctx), docx_name=docx_name)
    write(inside(ctx.root, out.path), html.encode("utf-8"))


def redline_files(comparison, current: ResolvedPolicy, old_label: str, new_label: str, draft: bool,
                  today: dt.date, formats: tuple[str, ...], assets: str, name: str) -> dict[str, bytes]:
    """The redline of one comparison in each format asked for ("html", "pdf", "docx"): the
    change model built once, then written. The build and the diff command both come here."""
    model = build_redline(comparison)
    out: dict[str, bytes] = {}
    if "html" in formats or "pdf" in formats:
        context = redline_context(comparison, current, old_label, new_label, draft, model)
        if "html" in formats:
            out["html"] = render_page("redline.html.j2", assets=assets, **context).encode("utf-8")
        if "pdf" in formats:
            out["pdf"] = render_pdf(render_page("redline.html.j2", assets="", **context), name)
    if "docx" in formats:  # tracked changes, dated the build date
        out["docx"] = render_redline_docx(comparison, current, old_label, new_label, draft, today, redline=model)
    return out


def _write_redline(out: Output, ctx: "Context", fmt: str) -> None:
    history = out.history
    latest = history.changed_since
    files = redline_files(compare(latest.policy, history.current), history.current,
                          version_label(latest.version, latest.date), "the current text", True, ctx.today,
                          (fmt,), assets_for(out.path), out.path)
    write(inside(ctx.root, out.path), files[fmt])


def write_redline_html(out: Output, ctx: "Context") -> None:
    _write_redline(out, ctx, "html")


def write_redline_pdf(out: Output, ctx: "Context") -> None:
    _write_redline(out, ctx, "pdf")


def write_redline_docx(out: Output, ctx: "Context") -> None:
    _write_redline(out, ctx, "docx")


def write_pdf(out: Output, ctx: "Context") -> None:
    policy = out.policy
    html = render_policy(policy, ctx.today, for_web=False, assets="")
    write(inside(ctx.root, out.path), render_pdf(html, out.path))


def write_docx(out: Output, ctx: "Context") -> None:
    write(inside(ctx.root, out.path), render_docx(out.policy, ctx.today))


def write_assets(out: Output, ctx: "Context") -> None:
    target = inside(ctx.root, out.path)
    shutil.rmtree(target, ignore_errors=True)
    shutil.copytree(ASSET_DIR, target)


def write(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)


class Context:
    """What every writer may read: the output root, the checked project, today."""

    def __init__(self, root: Path, project: Project, histories: list,
                 formats: tuple[str, ...], today: dt.date) -> None:
        self.root, self.project, self.histories = root, project, histories
        self.formats, self.today = formats, today
        self.site_entries: list | None = None  # filled by site.entries once the documents exist
        # All a document's writer reads besides its plan entry: see for_documents.
        self.siblings = sibling_pages(histories)
        self.display_name = project.display_name if project is not None else ""

    def for_documents(self) -> "Context":
        """The context without the project and every history: all a document's writer needs.
        Sent with each school's documents to another machine, so a worker holds one school's
        share of the trust, not the whole of it."""
        slim = copy_object(self)
        slim.project, slim.histories = None, []
        return slim

    @property
    def policies(self) -> list[ResolvedPolicy]:
        return [h.current for h in self.histories]


DOCUMENT_WRITERS: dict[str, Callable[[Output, Context], None]] = {
    "assets": write_assets,
    "html": write_html,
    "pdf": write_pdf,
    "docx": write_docx,
    "redline-html": write_redline_html,
    "redline-pdf": write_redline_pdf,
    "redline-docx": write_redline_docx,
}
