"""The history commands: ratify a text, list versions, and write a redline between two."""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
from dataclasses import dataclass
from dataclasses import replace as copy
from pathlib import Path
from typing import Optional

from html import escape

from policyc.compile.number import number_policy
from policyc.compile.resolve import resolve_policy, trust_title
from policyc.compliance.period import periods
from policyc.engine import formats as format_table
from policyc.engine import layout
from policyc.errors import Problems, UsageError, display_path
from policyc.history.attach import PolicyHistory
from policyc.history.compare import compare
from policyc.names import inside
from policyc.pipeline import Checked
from policyc.reports import period_words, version_words
from policyc.render.redline import version_label
from policyc.render.writers import redline_files
from policyc.resources import ASSET_DIR
from policyc.site.guard import claim
from policyc.source.read import load_yaml, parse_yaml
from policyc.source.schema import validate


def find(checked: Checked, school: str, policy: str) -> PolicyHistory:
    for history in checked.histories:
        if history.current.school_slug == school and history.current.policy_id == policy:
            return history
    raise UsageError(f"no policy {policy!r} for school {school!r}")


def ratify_selection(checked: Checked, policy_id: str, schools: list[str],
                     all_schools: bool) -> tuple[list[PolicyHistory], str]:
    """Which schools' copies one decision ratifies, and the body that made it ("" for each
    school's usual body). A trust-approved policy is one decision for every school that has it."""
    project = checked.project
    model = next(p for p in project.policies if p.id == policy_id)
    having = [h for h in checked.histories if h.current.policy_id == policy_id]
    names = {s.slug: s.name for s in project.schools}
    title = trust_title(project, model) or (having[0].current.title if having else model.id)
    if model.approver == "trust":
        if schools:
            raise UsageError(f"the {title} is approved by the {project.trust.board} once for every school "
                            f"that has it ({len(having)}), not by each school: ratify it without --school")
        if not having:
            raise UsageError(f"no school has the {title}, so there is nothing to ratify")
        return having, model.approving_body or project.trust.board
    if schools and all_schools:
        raise UsageError("give either --school (one or more) or --all-schools, not both")
    if not schools and not all_schools:
        raise UsageError(f"the {title} is approved by each school's own governing body: name the school "
                        f"with --school (repeat it for several), or give --all-schools")
    if all_schools:
        return having, ""
    picked = []
    for slug in dict.fromkeys(schools):
        found = [h for h in having if h.current.school_slug == slug]
        if not found:
            raise UsageError(f"{names[slug]} ({slug}) does not have the {title}; the schools that have it: "
                            + ", ".join(h.current.school_slug for h in having))
        picked += found
    return picked, ""


@dataclass(frozen=True)
class Side:
    policy: object  # ResolvedPolicy
    label: str
    draft: bool
    name: str  # as it goes in a file name: a version number, 'draft' or 'model'



def pick(checked: Checked, history: PolicyHistory, name: str) -> Side:
    """A version by name: a ratified version number, 'draft' (the sources now), or 'model'."""
    if name == "draft":
        return Side(history.current, "the current text", history.changed_since is not None
                    or history.current.ratification.status != "ratified", "draft")
    if name == "model":
        return Side(model_for(checked, history), f"the {checked.project.display_name} model policy", True, "model")
    if name in ("latest", "ratified") and history.snapshots:
        name = history.snapshots[-1].version
    for snap in history.snapshots:
        if snap.version == name:
            return Side(snap.policy, version_label(snap.version, snap.date), False, snap.version)
    known = [s.version for s in history.snapshots] + ["draft", "model"]
    raise UsageError(f"there is no version {name!r} of this policy; the versions are: {', '.join(known)}")


def model_for(checked: Checked, history: PolicyHistory):
    """The trust's model as this school would get it with no tailoring at all."""
    project = checked.project
    school = next(s for s in project.schools if s.slug == history.current.school_slug)
    policy = next(p for p in project.policies if p.id == history.current.policy_id)
    untailored = copy(school, overlays=())
    resolved = resolve_policy(project, policy, untailored, Problems())
    return number_policy(copy(resolved, title=history.current.title))


def write_redline(checked: Checked, history: PolicyHistory, old: Side, new: Side, output: Path,
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


def versions_table(history: PolicyHistory) -> list[str]:
    lines = []
    when = {p.version: p for p in periods(history)}
    for snap in history.snapshots:
        r = snap.policy.ratification
        people = "; ".join(f"{s.name} ({s.role})" for s in r.signatories)
        held = when.get(snap.version)
        force = period_words(held) if held else "never in force (a later version was ratified the same day)"
        lines.append(f"{snap.version:>8}  {r.date.isoformat()}  {r.body}  {people}  – {snap.summary} [{force}]")
    if history.changed_since:
        lines.append(f"{'draft':>8}  changed since {history.changed_since.version}; "
                     f"proposed version {history.proposed_version or '(give one with --version)'}")
    elif not history.snapshots:
        lines.append(f"{'draft':>8}  no ratified snapshot yet")
    return lines




def long_day(day: dt.date) -> str:
    return f"{day.day} {day:%B %Y}"


def first_ratified(history: PolicyHistory) -> str:
    """When the first version came into force, in words; "" if none has."""
    found = periods(history)
    if not found:
        return ""
    first = found[0]
    return first.start_written or long_day(first.start)


def write_as_of(found: list, day: dt.date, output: Path, school: str, every: bool) -> list[Path]:
    """The versions in force on `day`, each marked with its period on every page: one PDF for
    one policy, or with --all one PDF of them all with a contents page. In the review area:
    a document for the trust's own use, never in a school's public bundle."""
    from policyc.render.html import render_page, render_policy
    from policyc.render.writers import render_pdf
    marked = []
    for history, period in found:
        words = period_words(period)
        named = version_words(period)
        note = f"{named[0].upper()}{named[1:]} {words}" + (f" (superseded by version {period.superseded_by})"
                                                      if period.superseded_by else "")
        note += f" · as in force on {long_day(day)}"
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
    title = f"Policies in force on {long_day(day)}" + (f" – {school}" if school else "")
    head = re.sub(r"<title>.*?</title>", f"<title>{escape(title)}</title>", head, count=1, flags=re.S)
    items = "".join(f'<li><a href="#p{n}-policy-title">{escape(p.title)}</a> '
                    f'<span class="version">{escape(p.period.split(" · ")[0])}</span></li>'
                    for n, p in enumerate(policies, 1))
    contents = (f'<div class="bundle-cover"><header class="cover">'
                + (f'<p class="school-name">{escape(school)}</p>' if school else "")
                + f'<h1 id="bundle-title">Policies in force on {long_day(day)}</h1></header>'
                f'<nav class="contents" aria-labelledby="bundle-contents"><h2 id="bundle-contents">Contents</h2>'
                f'<ol>{items}</ol></nav></div>')
    return (f'{head}<body class="policy bundle status-ratified"><main id="main">{contents}'
            + "".join(bodies) + "</main></body></html>")


def settle_school_record(source: Path, slug: str, policy_id: str, version: str, record) -> Optional[Path]:
    """The school file's record of the policy rewritten to say what was ratified (see
    school_record_edit); the file changed, or None."""
    edit = school_record_edit(source, slug, policy_id, version, record)
    if edit is None:
        return None
    path, _, changed = edit
    temp = path.with_name(f".{path.name}.tmp")
    temp.write_text(changed, encoding="utf-8")
    temp.replace(path)
    return path


def school_record_edit(source: Path, slug: str, policy_id: str, version: str,
                       record) -> Optional[tuple[Path, str, str]]:
    """After a ratification, the school file's own record of the policy (status: draft, the
    meeting: that was to decide) is out of date: the record rewritten to say what was ratified.

    Only the `ratification:` block of that one policy is replaced, and only when the file,
    so changed, still reads and validates; anything else in the file (comments too) is kept.
    Returns the file, its text now and its text so changed, or None when it has no such
    record or could not be changed safely. Nothing is written: ratify writes it with the
    snapshots, all or none.
    """
    folder = source / "schools"
    path = next((folder / f"{slug}{s}" for s in (".yaml", ".yml") if (folder / f"{slug}{s}").is_file()), None)
    if path is None:
        return None
    problems = Problems()
    name = display_path(path)
    before = load_yaml(path, name, problems, within=source)
    where = ("policies", policy_id, "ratification")
    if before is None or where not in before.key_positions:
        return None
    old = before.data["policies"][policy_id]["ratification"]
    text = path.read_text(encoding="utf-8")
    lines = text.splitlines(keepends=True)
    key = before.key_positions[where]
    start, indent = key.line - 1, key.column - 1
    end = start + 1
    while end < len(lines):
        stripped = lines[end].strip()
        if stripped and not stripped.startswith("#") and len(lines[end]) - len(lines[end].lstrip(" ")) <= indent:
            break
        end += 1
    while end > start + 1 and not lines[end - 1].strip():  # blank lines after the block stay
        end -= 1
    pad, q = " " * indent, lambda s: json.dumps(s, ensure_ascii=False)
    block = [f"{pad}ratification:", f"{pad}  status: ratified", f"{pad}  date: {record.date.isoformat()}"]
    if record.minute:
        block.append(f"{pad}  minute: {q(record.minute)}")
    block.append(f"{pad}  version: {q(version)}")
    if isinstance(old, dict) and old.get("review_cycle"):
        block.append(f"{pad}  review_cycle: {old['review_cycle']}")
    if isinstance(old, dict) and old.get("body"):
        block.append(f"{pad}  body: {q(record.body)}")
    block.append(f"{pad}  signatories:")
    block += [f"{pad}    - {{name: {q(s.name)}, role: {q(s.role)}}}" for s in record.signatories]
    changed = "".join(lines[:start]) + "\n".join(block) + "\n" + "".join(lines[end:])
    check = Problems()
    after = parse_yaml(changed, path, name, check)
    if after is None or not validate(after, "school", check) or check.errors:
        return None
    return path, text, changed
