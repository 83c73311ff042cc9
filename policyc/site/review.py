"""The documents the history commands write into the output folder's review area, beside a
build's: a redline between two versions of a policy (`policyc diff`) and the versions in force
on a day (`policyc as-of`). Each is for the trust's own use, never in a school's public bundle."""

from __future__ import annotations

import datetime as dt
import re
import shutil
from dataclasses import dataclass
from dataclasses import replace as copy
from html import escape
from pathlib import Path

from policyc.compile.number import number_policy
from policyc.compile.resolve import resolve_policy
from policyc.compliance.period import in_force_words, version_words
from policyc.errors import Problems, UsageError, display_path
from policyc.history.attach import PolicyHistory
from policyc.history.compare import compare
from policyc.text.dates import long_date
from policyc.model import Project
from policyc.names import inside
from policyc.outputs import formats as format_table
from policyc.outputs import layout
from policyc.render.redline import version_label
from policyc.render.writers import redline_files
from policyc.resources import ASSET_DIR
from policyc.site.guard import claim


@dataclass(frozen=True)
class Side:
    policy: object  # ResolvedPolicy
    label: str
    draft: bool
    name: str  # as it goes in a file name: a version number, 'draft' or 'model'


def pick(project: Project, history: PolicyHistory, name: str) -> Side:
    """A version by name: a ratified version number, 'draft' (the sources now), or 'model'."""
    if name == "draft":
        return Side(history.current, "the current text", history.changed_since is not None
                    or history.current.ratification.status != "ratified", "draft")
    if name == "model":
        return Side(model_for(project, history), f"the {project.display_name} model policy", True, "model")
    if name in ("latest", "ratified") and history.snapshots:
        name = history.snapshots[-1].version
    for snap in history.snapshots:
        if snap.version == name:
            return Side(snap.policy, version_label(snap.version, snap.date), False, snap.version)
    known = [s.version for s in history.snapshots] + ["draft", "model"]
    raise UsageError(f"there is no version {name!r} of this policy; the versions are: {', '.join(known)}")


def model_for(project: Project, history: PolicyHistory):
    """The trust's model as this school would get it with no tailoring at all."""
    school = next(s for s in project.schools if s.slug == history.current.school_slug)
    policy = next(p for p in project.policies if p.id == history.current.policy_id)
    untailored = copy(school, overlays=())
    resolved = resolve_policy(project, policy, untailored, Problems())
    return number_policy(copy(resolved, title=history.current.title))


def write_redline(history: PolicyHistory, old: Side, new: Side, output: Path,
                  formats: tuple[str, ...], today: dt.date | None = None) -> list[Path]:
    """The redline between two versions, by the build's own path (render/writers.redline_files),
    into the review area of the output folder, beside the build's redlines (layout.changes_path)."""
    current = history.current
    claim(output)  # a new output folder: marked as policyc's, so a build may still replace it
    rows = [fmt for fmt in format_table.FORMATS if fmt.name in formats]  # in the table's order
    if any(fmt.uses_assets for fmt in rows):
        _ensure_assets(inside(output, layout.school_assets(current.school_slug)))
    place = {fmt.name: layout.changes_path(current, old.name, new.name, fmt.suffix) for fmt in rows}
    pdf = layout.changes_path(current, old.name, new.name, "pdf").rsplit("/", 1)[-1]  # the name a PDF's metadata holds
    files = redline_files(compare(old.policy, new.policy), current, old.label, new.label, new.draft,
                          today or dt.date.today(), tuple(place), layout.assets_for(next(iter(place.values()), "")),
                          pdf)
    written = []
    for fmt, data in files.items():
        path = inside(output, place[fmt])
        path.parent.mkdir(parents=True, exist_ok=True)
        _replace(path, data)
        written.append(path)
    return written


def _ensure_assets(target: Path) -> None:
    """Redlines live in output/review/<school>/changes/ and use the school's own assets."""
    if not (target / "policy.css").is_file():
        shutil.copytree(ASSET_DIR, target, dirs_exist_ok=True)


def _replace(path: Path, data: bytes) -> None:
    temp = path.with_name(f".{path.name}.tmp")
    temp.write_bytes(data)
    temp.replace(path)


def write_as_of(found: list, day: dt.date, output: Path, school: str, every: bool) -> list[Path]:
    """The versions in force on `day`, each marked with its period on every page: one PDF for
    one policy, or with --all one PDF of them all with a contents page. In the review area:
    a document for the trust's own use, never in a school's public bundle."""
    from policyc.render.html import render_policy
    from policyc.render.writers import render_pdf
    marked = []
    for history, period in found:
        words = in_force_words(period)
        named = version_words(period)
        note = f"{named[0].upper()}{named[1:]} {words}" + (f" (superseded by version {period.superseded_by})"
                                                      if period.superseded_by else "")
        note += f" · as in force on {long_date(day)}"
        marked.append(copy(period.policy, period=note, superseded_by=""))
    claim(output)
    if not every:
        policy = marked[0]
        path = inside(output, layout.as_of_path(school, f"{policy.policy_id}-in-force-{day.isoformat()}.pdf"))
        path.parent.mkdir(parents=True, exist_ok=True)
        html = render_policy(policy, day, for_web=False, assets="")
        _replace(path, render_pdf(html, display_path(path)))
        return [path]
    path = inside(output, layout.as_of_path(school, f"all-policies-in-force-{day.isoformat()}.pdf"))
    path.parent.mkdir(parents=True, exist_ok=True)
    pages = [render_policy(policy, day, for_web=False, assets="") for policy in marked]
    html = bundle_html(pages, marked, day)
    _replace(path, render_pdf(html, display_path(path)))
    return [path]


_ID_ATTR = re.compile(r'\b(id|for|headers|aria-labelledby|aria-describedby|aria-controls)="([^"]*)"')
_HREF = re.compile(r'href="#([^"]*)"')


def bundle_html(pages: list[str], policies: list, day: dt.date) -> str:
    """Several policies' pages as one document: a contents page first, then each policy from a
    new page, its ids prefixed so that no two policies' anchors meet."""
    bodies = []
    for n, page in enumerate(pages, 1):
        body = page.split("<body", 1)[1].split(">", 1)[1].rsplit("</body>", 1)[0]
        body = re.sub(r'<a class="skip-link"[^>]*>.*?</a>', "", body, count=1, flags=re.S)
        body = body.replace("<main ", "<section ").replace("</main>", "</section>")
        body = _ID_ATTR.sub(lambda m: f'{m.group(1)}="' + " ".join(f"p{n}-{v}" for v in m.group(2).split()) + '"', body)
        body = _HREF.sub(lambda m: f'href="#p{n}-{m.group(1)}"', body)
        bodies.append(f'<div class="bundled" id="policy-{n}">{body}</div>')
    head = pages[0].split("<body", 1)[0]
    first = policies[0]
    school = first.school_name
    title = f"Policies in force on {long_date(day)}" + (f" – {school}" if school else "")
    head = re.sub(r"<title>.*?</title>", f"<title>{escape(title)}</title>", head, count=1, flags=re.S)
    items = "".join(f'<li><a href="#p{n}-policy-title">{escape(p.title)}</a> '
                    f'<span class="version">{escape(p.period.split(" · ")[0])}</span></li>'
                    for n, p in enumerate(policies, 1))
    contents = (f'<div class="bundle-cover"><header class="cover">'
                + (f'<p class="school-name">{escape(school)}</p>' if school else "")
                + f'<h1 id="bundle-title">Policies in force on {long_date(day)}</h1></header>'
                f'<nav class="contents" aria-labelledby="bundle-contents"><h2 id="bundle-contents">Contents</h2>'
                f'<ol>{items}</ol></nav></div>')
    return (f'{head}<body class="policy bundle status-ratified"><main id="main">{contents}'
            + "".join(bodies) + "</main></body></html>")
