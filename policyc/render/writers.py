"""The writers of a policy's documents (each format's policy and redline) and of the assets.

Which writer makes which format is said once, by the format's row in outputs/formats.py,
which names the functions here; pipeline.WRITERS imports them from there when a format is
first written. A new format is a row there and its writers in a module of its own.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
from copy import copy as copy_object
from dataclasses import dataclass
from dataclasses import replace as copy
from functools import cached_property, lru_cache, partial
from pathlib import Path
from typing import Any, Callable

from policyc.compliance.period import in_force_words, periods
from policyc.history.attach import sibling_pages
from policyc.history.compare import compare
from policyc.model import Project, ResolvedPolicy
from policyc.names import inside
from policyc.outputs import formats as format_table
from policyc.outputs import layout
from policyc.outputs.layout import archive_path, assets_for, public_path, redline_path, review_path
from policyc.outputs.plan import Output
from policyc.render.changes import build_redline
from policyc.render.html import render_page, render_policy
from policyc.render.redline import redline_context, version_label
from policyc.resources import ASSET_DIR


# The PDF and Word libraries take seconds to import: each is loaded when its format is first written.
def render_pdf(*args, **kwargs) -> bytes:
    from policyc.render.pdf import render_pdf as render
    return render(*args, **kwargs)


def render_docx(*args, **kwargs) -> bytes:
    from policyc.render.word.policy import render_docx as render
    return render(*args, **kwargs)


def render_redline_docx(*args, **kwargs) -> bytes:
    from policyc.render.word.redline import render_redline_docx as render
    return render(*args, **kwargs)


def _versions(out: Output, ctx: "Context") -> dict:
    """Links from a policy page to its ratified versions and to what changed, relative to the page."""
    history = out.history
    current = history.current
    page = format_table.get(format_table.PAGE).suffix

    def rel(path: str) -> str:
        return layout.relative(path, out.path)
    held = {p.version: p for p in periods(history)}
    versions = [{"label": version_label(s.version, s.date) + (f", {in_force_words(held[s.version])}"
                                                              if s.version in held else ", never in force"),
                 "html": rel(archive_path(current, s.version, page))}
                for s in reversed(history.snapshots)]
    links = {"versions": versions, "current": "", "redline": "",
             "index": rel(layout.school_file(current.school_slug, layout.SCHOOL_INDEX)),
             "accessibility": rel(layout.school_file(current.school_slug, layout.ACCESSIBILITY))}
    if layout.is_archived(out.path) and history.in_force is not None:
        links["current"] = rel(public_path(current, page))
    if history.changed_since and layout.in_review(out.path):  # public pages never link to the review area
        links["redline"] = rel(redline_path(history, page))
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
    in_review = layout.in_review(out.path)
    page = format_table.get(format_table.PAGE).suffix
    pages = {}
    for policy_id, public, pending in ctx.siblings.get(school, ()):
        if public:
            pages[policy_id] = public_path(policy, page, policy_id)
        elif in_review and pending:
            pages[policy_id] = review_path(policy, page, policy_id)
    placed = []
    for ref, words, page in policy.policy_links:
        target, _, anchor = ref.partition("#")
        href = ""
        if target in pages:
            href = layout.relative(pages[target], out.path) + (f"#{anchor}" if anchor else "")
        placed.append((ref, words, href))
    return copy(policy, policy_links=tuple(placed))


def write_html(out: Output, ctx: "Context") -> None:
    policy = _placed_links(out, ctx)
    stem = out.path.rsplit("/", 1)[-1].rsplit(".", 1)[0]
    in_review = layout.in_review(out.path)
    # A page links each other format built that offers a download; the Word file is for
    # editing: the review area always links it, a public page only when the trust says so.
    downloads = [{"href": f"{stem}.{fmt.suffix}", "label": fmt.download} for fmt in format_table.FORMATS
                 if fmt.name in ctx.formats and fmt.download
                 and (in_review or not fmt.download_when or getattr(policy, fmt.download_when))]
    html = render_policy(policy, ctx.today, for_web=True, assets=assets_for(out.path),
                         links=_versions(out, ctx), downloads=downloads)
    write(inside(ctx.root, out.path), html.encode("utf-8"))


@dataclass(frozen=True, kw_only=True)
class RedlineJob:
    """One comparison to write as a redline, in any format: the change model built once."""

    comparison: Any
    current: ResolvedPolicy
    old_label: str
    new_label: str
    draft: bool
    today: dt.date
    assets: str  # the relative way from the redline to its assets
    name: str  # the document's name, as a PDF's metadata holds it
    model: Any

    @cached_property
    def context(self) -> dict:
        """What the HTML template shows: the same for the page and the PDF."""
        return redline_context(self.comparison, self.current, self.old_label, self.new_label, self.draft, self.model)


def redline_html(job: RedlineJob) -> bytes:
    return render_page("redline.html.j2", assets=job.assets, for_pdf=False, **job.context).encode("utf-8")


def redline_pdf(job: RedlineJob) -> bytes:
    return render_pdf(render_page("redline.html.j2", assets="", for_pdf=True, **job.context), job.name)


def redline_docx(job: RedlineJob) -> bytes:  # tracked changes, dated the build date
    return render_redline_docx(job.comparison, job.current, job.old_label, job.new_label, job.draft, job.today,
                               redline=job.model)


def redline_files(comparison, current: ResolvedPolicy, old_label: str, new_label: str, draft: bool,
                  today: dt.date, formats: tuple[str, ...], assets: str, name: str) -> dict[str, bytes]:
    """The redline of one comparison in each format asked for that has one, by its row's
    writer: the change model built once, then written. The build and the diff command both come here."""
    job = RedlineJob(comparison=comparison, current=current, old_label=old_label, new_label=new_label, draft=draft,
                     today=today, assets=assets, name=name, model=build_redline(comparison))
    rows = [format_table.get(fmt) for fmt in formats]
    return {fmt.name: format_table.load(fmt.redline)(job) for fmt in rows if fmt.redline}


def _write_redline(out: Output, ctx: "Context", fmt: str) -> None:
    history = out.history
    latest = history.changed_since
    files = redline_files(compare(latest.policy, history.current), history.current,
                          version_label(latest.version, latest.date), "the current text", True, ctx.today,
                          (fmt,), assets_for(out.path), out.path)
    write(inside(ctx.root, out.path), files[fmt])


def redline_writer(fmt: str) -> Callable[[Output, "Context"], None]:
    """The build's writer of a format's redline (the output kind "redline-<format>")."""
    return partial(_write_redline, fmt=fmt)


def write_pdf(out: Output, ctx: "Context") -> None:
    policy = out.policy
    html = render_policy(policy, ctx.today, for_web=False, assets="")
    write(inside(ctx.root, out.path), render_pdf(html, out.path))


def write_docx(out: Output, ctx: "Context") -> None:
    write(inside(ctx.root, out.path), render_docx(out.policy, ctx.today))


def write_assets(out: Output, ctx: "Context") -> None:
    """The stylesheet and fonts: copied once per build, and every other folder of them
    hard-linked to that copy (the same bytes, written once: every school has a folder of them,
    and serve rebuilds them all on every save)."""
    target = inside(ctx.root, out.path)
    shutil.rmtree(target, ignore_errors=True)
    first = getattr(ctx, "assets_copied", None)
    if first is None or not first.is_dir():
        shutil.copytree(ASSET_DIR, target)
        ctx.assets_copied = target
        return
    shutil.copytree(first, target, copy_function=_link_or_copy)


@lru_cache(maxsize=1)
def asset_files() -> tuple[str, ...]:
    """Each file of an assets folder, relative to it: what write_assets puts there."""
    return tuple(sorted(p.relative_to(ASSET_DIR).as_posix() for p in ASSET_DIR.rglob("*") if p.is_file()))


def _link_or_copy(source: str, target: str) -> None:
    try:
        os.link(source, target)
    except OSError:  # a file system without hard links
        shutil.copy2(source, target)


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
        # The size in bytes of each document this build writes whose size a page shows (the
        # public PDFs), told by the build once they are written: the site never reads them back.
        self.sizes: dict[str, int] = {}
        self.entry_memo: dict | None = None  # serve's session: site entries kept by their history
        self.entries_of: dict[str, list] = {}  # site.entries by school, with site_entries
        self._by_school: dict[str, list] | None = None  # see histories_of
        self.assets_copied: Path | None = None  # the build's first copy of the assets: see write_assets
        # All a document's writer reads besides its plan entry: see for_documents.
        self.siblings = sibling_pages(histories)
        self.display_name = project.display_name if project is not None else ""

    def for_documents(self) -> "Context":
        """The context without the project and every history: all a document's writer needs.
        Sent with each school's documents to another machine, so a worker holds one school's
        share of the trust, not the whole of it."""
        slim = copy_object(self)
        slim.project, slim.histories = None, []
        slim._by_school, slim.entry_memo, slim.site_entries, slim.entries_of = None, None, None, {}
        return slim

    @property
    def policies(self) -> list[ResolvedPolicy]:
        return [h.current for h in self.histories]

    def histories_of(self, school: str) -> tuple:
        """The histories of one school's policies, in the build's order."""
        if self._by_school is None:
            self._by_school = {}
            for history in self.histories:
                self._by_school.setdefault(history.current.school_slug, []).append(history)
        return tuple(self._by_school.get(school, ()))


# The writers that belong to no format; each format's are named by its row in outputs/formats.py.
DOCUMENT_WRITERS: dict[str, Callable[[Output, Context], None]] = {
    "assets": write_assets,
}
