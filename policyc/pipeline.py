"""The build, stage by stage: read and check, resolve, number, plan, write, publish."""

from __future__ import annotations

import datetime as dt
import re
import shutil
import os
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Optional

from policyc.compile.links import link_policies
from policyc.compile.applicability import check_schools_named
from policyc.compliance.requirements import check_references
from policyc.compile.number import number_policy
from policyc.compile.resolve import resolve_all
from policyc.engine.cache import CACHE_NAME, DocumentCache, cache_folder, open_cache, previous_keys
from policyc.engine.executors import render_all
from policyc.engine.keys import KeyMaker, fingerprint, source_digest, toolchain
from policyc.errors import InvalidSource, Problem, Problems, UserError, counted
from policyc.history.attach import PolicyHistory, attach_history
from policyc.model import Project, ResolvedPolicy
from policyc.outputs import formats as format_table
from policyc.outputs.plan import ASSETS_PHASE, DOCUMENT, SITE, Output, plan_outputs
from policyc.site.guard import MARKER, check_output_folder
from policyc.site.publish import (MANIFEST, REMOVED, STALE, carry_over, file_states, leftover_fate, made,
                                  output_lock, plain_os_error, publish_in_place, record_made, scratch, staged)
from policyc.source.check import load_project

if TYPE_CHECKING:  # the writers load Jinja: imported when a build first writes
    from policyc.render.writers import Context


class _Writers(dict):
    """The writer of each output kind, imported at its first use: `policyc --version`, `validate`
    and `status` never load WeasyPrint, pikepdf or python-docx, which take seconds to import.
    A format's writers are named by its row in the formats table; the site's are its own."""

    def __missing__(self, kind: str):
        found = format_table.of_output(kind)
        if found is not None:
            fmt, part = found
            if part == format_table.REDLINE:
                from policyc.render.writers import redline_writer
                writer = redline_writer(fmt.name)
            else:
                writer = format_table.load(fmt.policy if part == format_table.POLICY else fmt.pack)
            return self.setdefault(kind, writer)
        from policyc.render.writers import DOCUMENT_WRITERS
        from policyc.site.bundle import SITE_WRITERS
        from policyc.site.calendar import CALENDAR_WRITERS
        from policyc.site.compliance import COMPLIANCE_WRITERS
        from policyc.site.accessibility import ACCESSIBILITY_WRITERS
        for name, writer in {**DOCUMENT_WRITERS, **SITE_WRITERS, **CALENDAR_WRITERS, **COMPLIANCE_WRITERS,
                             **ACCESSIBILITY_WRITERS}.items():
            self.setdefault(name, writer)  # a writer set before (a test's) is kept
        return dict.__getitem__(self, kind)


WRITERS = _Writers()


def render_document(out: Output, context: Context) -> None:
    WRITERS[out.format](out, context)


@dataclass(frozen=True)
class BuildOptions:
    source: Path
    output: Path
    today: dt.date
    formats: tuple[str, ...] = field(default_factory=format_table.default)
    schools: frozenset = frozenset()
    policies: frozenset = frozenset()
    strict: bool = False
    jobs: int = 1
    cache: bool = True  # reuse documents whose key is unchanged (see engine/cache.py)
    executor: str = "processes"  # or "dask"
    scheduler: str = ""  # a Dask scheduler's address; none: a local cluster


@dataclass
class BuildReport:
    written: list[str] = field(default_factory=list)
    rendered: int = 0  # documents rendered by this build
    reused: int = 0  # documents whose bytes came from the cache
    worker_peaks: dict = field(default_factory=dict)  # worker -> peak resident memory, KiB
    render_seconds: dict = field(default_factory=dict)  # path -> seconds its rendering took, on its worker
    also_rebuilt: int = 0  # documents outside --school/--policy rebuilt because their sources changed
    removed: list[str] = field(default_factory=list)  # files of the last output whose sources are gone
    stale: list[str] = field(default_factory=list)  # documents of formats not built now that their sources outdate
    warnings: list[Problem] = field(default_factory=list)
    seconds: float = 0.0
    policies: list[ResolvedPolicy] = field(default_factory=list)


@dataclass(frozen=True)
class Checked:
    project: Project
    histories: list[PolicyHistory]
    warnings: list[Problem]
    sources: str = ""  # the source folder's digest, or "" if it changed while it was read

    @property
    def policies(self) -> list[ResolvedPolicy]:
        return [h.current for h in self.histories]


def check_all(source: Path, strict: bool = False, session=None) -> Checked:
    """Read, check, resolve, number and attach history; raise with every problem found.

    `session` (a policyc.session.Session, kept by serve between saves) reuses what the same
    inputs gave in its earlier builds; the result is the same as without one."""
    problems = Problems()
    before = source_digest(source)
    project = load_project(source, problems) if session is None else load_project(source, problems, session.reading)
    if project:
        check_references(project, problems)
        check_schools_named(project, problems)
    if session is None:
        resolved = resolve_all(project, problems) if project else []
        numbered = link_policies([number_policy(p) for p in resolved])
        histories = [attach_history(p, source, problems) for p in numbered]
    else:
        resolved = session.resolve_all(project, problems) if project else []
        histories = [session.attach_history(p, source, problems) for p in session.number_and_link(resolved)]
        session.turn()
    problems.raise_if_errors()
    if strict and counted(problems.warnings):
        raise InvalidSource(counted(problems.warnings), [w for w in problems.warnings if w.note])
    return Checked(project, histories, problems.warnings, before if source_digest(source) == before else "")


def check(source: Path, strict: bool = False) -> tuple[Project, list[ResolvedPolicy], list[Problem]]:
    checked = check_all(source, strict)
    return checked.project, checked.policies, checked.warnings


def _executor(options: BuildOptions) -> Callable:
    if options.executor != "dask":
        return render_all
    try:
        from policyc.engine.dask_executor import render_on_dask
        import distributed  # noqa: F401  (checked here, so a missing extra is a plain message)
    except ImportError:
        raise UserError("--executor dask needs Dask: pip install 'policyc[dask]'") from None
    return lambda docs, render, ctx, jobs, peaks, times: render_on_dask(docs, render, ctx, jobs, options.scheduler,
                                                                        peaks, times)


def _owners(root: Path, documents: list[Output], schools: set[str], keys: KeyMaker,
            known: dict[str, str]) -> dict[str, list]:
    """Every file this build made, with the school and policy it belongs to ("" for none) and,
    for a document, the key it was made for, so a later build of other formats can tell
    whether it is still current."""
    of_document = {o.path: [o.policy.school_slug, o.policy.policy_id, known.get(o.path) or keys.key(o),
                            list(keys.formats)] for o in documents}
    owners: dict[str, list] = {}
    for folder, subfolders, files in os.walk(root):  # os.walk, not rglob: many times faster on a trust's files
        at = Path(folder).relative_to(root).as_posix()
        if at == ".":
            subfolders[:] = [d for d in subfolders if d not in (CACHE_NAME, MARKER, MANIFEST)]
            files = [f for f in files if f not in (CACHE_NAME, MARKER, MANIFEST)]
        for name in files:
            rel = name if at == "." else f"{at}/{name}"
            if not os.path.isfile(os.path.join(folder, name)):
                continue
            owners[rel] = of_document.get(rel) or _owner(rel, schools)
    return owners


def build(options: BuildOptions, progress: Callable[[str], None] = lambda _: None,
          checked: Optional[Checked] = None,
          on_document: Optional[Callable[[int, int, str], None]] = None, session=None) -> BuildReport:
    """`progress` gets a line per document rendered; `on_document(done, total, path)` the
    counts, with 0 before the first. `session`: see check_all; it also keeps the digests
    of output keys, so an object unchanged since its last build is not hashed again."""
    started = time.perf_counter()
    checked = checked or check_all(options.source, options.strict, session)
    policies, warnings = checked.policies, checked.warnings
    # --school and --policy name what must be current after this build; the plan is always
    # whole, so that every page, index, register and the dashboard describe the same sources:
    # a document outside the selection is reused when its key is unchanged, and rebuilt (and
    # counted in the report) when its sources changed since it was made.
    plan = plan_outputs(checked.histories, options.formats)
    partial = bool(options.schools or options.policies)
    selected = ({o.path for o in plan_outputs(checked.histories, options.formats, set(options.schools),
                                              set(options.policies))} if partial else None)
    report = BuildReport(warnings=warnings, policies=policies)
    check_output_folder(options.output, options.source)
    try:
        with output_lock(options.output):
            if session is None or not _update_in_place(options, checked, report, plan, selected, on_document,
                                                        progress, session):
                pages = _build_into(options, checked, report, plan, selected, on_document, progress, session)
                if session is not None:
                    session.published = _published(options.output, pages)
    except shutil.Error as exc:  # copying the assets: it lists each file it could not copy, with why
        first = exc.args[0][0] if exc.args and isinstance(exc.args[0], list) and exc.args[0] else None
        code = re.match(r"\[Errno (\d+)\] ([^:]*)", str(first[2])) if first else None
        refused = OSError(int(code.group(1)), code.group(2), first[1]) if code else OSError(0, str(exc))
        raise plain_os_error(refused, options.output) from None
    except OSError as exc:
        raise plain_os_error(exc, options.output) from None
    report.seconds = time.perf_counter() - started
    if session is not None:
        session.built = checked  # what serve makes a document of another format from
    return report


def make_document(options: BuildOptions, checked: Checked, rel: str, session=None) -> Optional[Path]:
    """Make the document at `rel` of a format this build does not write (the PDF serve is
    asked for, say) current in the output folder, as a build of its format would; None when
    the sources make no such document.

    Why on its own, not a build with one more format: that build would render the format's
    every stale document. This one reuses the file when the key it was made for (in the
    manifest) is the key the sources give it now, then the cache, and only then renders it;
    the file and its manifest entry are renamed into place under the output's lock, so a
    later build keeps it while it is current and removes it once the sources outdate it."""
    found = _every_document(checked, session).get(rel)
    if found is None or found.format in options.formats:
        return None
    fmt = format_table.of_output(found.format)[0].name
    formats = tuple(f for f in format_table.names() if f in options.formats or f == fmt)
    check_output_folder(options.output, options.source)
    output = options.output.resolve()
    with output_lock(output):
        key = _keys(formats, options, checked, session).key(found)
        target = output / rel
        entry = made(output).get(rel)
        if entry and len(entry) >= 4 and entry[2] == key and target.is_file():
            return target
        with scratch(output) as folder:
            made_at = folder / "made" / rel
            cache = DocumentCache(cache_folder(output)) if options.cache and output.is_dir() else None
            if not (cache and cache.place(key, made_at)):
                from policyc.render.writers import Context
                render_document(found, Context(folder / "made", checked.project, checked.histories, formats,
                                               options.today))
                if cache:
                    cache.store(key, made_at)
            target.parent.mkdir(parents=True, exist_ok=True)
            os.replace(made_at, target)
            record_made(output, rel, [found.policy.school_slug, found.policy.policy_id, key, list(formats)], folder)
    return target


def render_first(options: BuildOptions, checked: Checked, pages: set[str], session=None) -> dict[str, bytes]:
    """The new bytes of those of `pages` (paths in the output) that changed since the last
    build made them: what serve shows of the page being read before the rest of the build is
    written. The same bytes the build writes, rendered the same way. A document whose key
    changed; and, with a session whose last build left the output, a site page (a school's
    index, the dashboard) whose inputs changed (site/reads.py), when no PDF is built: a
    site page shows the PDFs' sizes, known only once they are made."""
    every = _every_document(checked, session)
    wanted = [every[rel] for rel in sorted(pages) if rel in every and every[rel].format in options.formats]
    held = getattr(session, "published", None)
    output = options.output.resolve()
    site = []
    if held is not None and held.output == output and format_table.PRINTED not in options.formats \
            and any(rel not in every for rel in pages):
        of_site = {o.path: o for o in plan_outputs(checked.histories, options.formats) if o.phase == SITE}
        site = [of_site[rel] for rel in sorted(pages) if rel in of_site]
    if not (wanted or site) or not output.is_dir():
        return {}
    before = made(output)
    keys = _keys(options.formats, options, checked, session)
    changed = [o for o in wanted if (before.get(o.path) or ["", "", ""])[2:3] != [keys.key(o)]]
    from policyc.render.writers import Context
    from policyc.site.reads import page_reads
    shown = {}
    with scratch(output) as folder:
        context = Context(folder, checked.project, checked.histories, options.formats, options.today)
        for out in changed:
            render_document(out, context)
            shown[out.path] = (folder / out.path).read_bytes()
        context.entry_memo = dict(session.entries) if site else None
        for out in site:
            reads = page_reads(out, context)
            if reads is not None and reads.same_as(held.pages.get(out.path)):
                continue
            WRITERS[out.format](out, context)
            shown[out.path] = (folder / out.path).read_bytes()
    return shown


def copies_of(options: BuildOptions, checked: Checked, page: str, session=None) -> list[tuple[str, str]]:
    """The documents of the page at `page` (a path) in the formats `options` does not build,
    each with its format's name for people ("PDF", "Word"): what make_document can make."""
    stem = page.rsplit(".", 1)[0]
    every = _every_document(checked, session)
    found = []
    for fmt in format_table.FORMATS:
        rel = f"{stem}.{fmt.suffix}"
        if fmt.name not in options.formats and rel in every:
            found.append((rel, fmt.description or fmt.name.upper()))
    return found


def _every_document(checked: Checked, session) -> dict[str, Output]:
    """Every document the sources make in every format, by path (kept by the session per check)."""
    held = getattr(session, "every", None)
    if held is not None and held[0] is checked:
        return held[1]
    every = {o.path: o for o in plan_outputs(checked.histories, format_table.names()) if o.phase == DOCUMENT}
    if session is not None:
        session.every = (checked, every)
    return every


def _build_into(options: BuildOptions, checked: Checked, report: BuildReport, plan: list, selected,
                on_document, progress, session) -> dict:
    """Stage every file, then swap the staging folder in (the part of a build that writes).
    Gives what each site page was made from (site.reads), for a session's next build."""
    project = checked.project
    from policyc.render.writers import Context
    with staged(options.output, keep_existing=False, **({"discard": session.discard} if session else {})) as root:
        context = Context(root, project, checked.histories, options.formats, options.today)
        documents = [o for o in plan if o.phase == DOCUMENT]
        for out in plan:  # assets first: documents do not need them, pages link to them
            if out.phase == ASSETS_PHASE:
                WRITERS[out.format](out, context)
        cache = open_cache(options.output, root, options.cache, session.verified if session is not None else None)
        key_of: dict[str, str] = {}
        if cache:
            inputs = fingerprint(checked.sources, options.formats, options.today)
            known = previous_keys(options.output, inputs) if inputs else {}
            keys = _keys(options.formats, options, checked, session)
            key_of = {o.path: known.get(o.path) or keys.key(o) for o in documents}
            if inputs:
                cache.save_keys(inputs, key_of)
        todo = [o for o in documents if not (cache and cache.place(key_of[o.path], root / o.path))]
        _render(options, documents, todo, context, report, selected, on_document, progress,
                lambda path: cache.store(key_of[path], root / path) if cache else None)
        context.sizes = _sizes(documents, root)
        pages = {}
        if session is not None:
            from policyc.site.reads import page_reads
            context.entry_memo = session.entries
        for out in plan:  # the site last: indexes give the size of each PDF
            if out.phase == SITE:
                WRITERS[out.format](out, context)
                if session is not None:
                    pages[out.path] = page_reads(out, context)
        schools = {s.slug for s in project.schools}
        keys = _keys(options.formats, options, checked, session)
        owners = _owners(root, documents, schools, keys, key_of)
        alive = {(h.current.school_slug, h.current.policy_id) for h in checked.histories}
        report.removed, report.stale = carry_over(options.output, root, owners, options.formats, alive, schools,
                                                  _current_keys(options, checked, session, keys))
    return pages


def _render(options: BuildOptions, documents: list[Output], todo: list[Output], context, report: BuildReport,
            selected, on_document, progress, rendered: Callable[[str], None]) -> set[str]:
    """Render `todo` (the documents of `documents` neither current nor in the cache), counting
    each in the report and telling `progress` and `on_document`; `rendered(path)` is called
    for each as it is written. Gives the paths rendered."""
    report.reused = len(documents) - len(todo)
    if selected is not None:
        report.also_rebuilt = sum(o.path not in selected for o in todo)
    pending = {o.path for o in todo}
    if on_document:
        on_document(0, len(todo), "")
    report.written.extend(o.path for o in documents if o.path not in pending)
    for path in _executor(options)(todo, render_document, context, options.jobs, peaks=report.worker_peaks,
                                        times=report.render_seconds):
        rendered(path)
        report.written.append(path)
        report.rendered += 1
        progress(f"[{report.rendered}/{len(todo)}] {path}")
        if on_document:
            on_document(report.rendered, len(todo), path)
    return pending


def _keys(formats: tuple[str, ...], options: BuildOptions, checked: Checked, session) -> KeyMaker:
    """The output keys of a build of `formats`; a session's keep their digests and keys."""
    if session is None:
        return KeyMaker(formats, options.today, checked.histories)
    return KeyMaker(formats, options.today, checked.histories, session.digests(), session.keys)


def _current_keys(options: BuildOptions, checked: Checked, session, keys: KeyMaker) -> Callable[[str, list], str]:
    """The key the document at a path would have now, built with the formats it was built
    with ("" when the sources make no such document): what tells a kept file still current."""
    every = _every_document(checked, session)
    makers = {keys.formats: keys}

    def current(rel: str, formats: list) -> str:
        out = every.get(rel)
        if out is None:
            return ""
        if tuple(formats) not in makers:
            makers[tuple(formats)] = _keys(tuple(formats), options, checked, session)
        return makers[tuple(formats)].key(out)
    return current


def _owner(rel: str, schools: set[str]) -> list:
    """A manifest entry for a file that is no document: the school whose folder holds it ("" for none)."""
    parts = rel.split("/")
    return [next((p for p in parts[:2] if p in schools), ""), ""]


def _sizes(documents: list[Output], root: Path) -> dict[str, int]:
    """The size of each public PDF this build wrote under `root`: what the site's pages show."""
    printed = format_table.PRINTED
    sizes = {}
    for out in documents:
        if out.format == printed:
            try:
                sizes[out.path] = os.stat(root / out.path).st_size
            except OSError:
                pass
    return sizes


def _published(output: Path, pages: dict):
    """What a session's build left in `output`, for the next build to update in place."""
    from policyc.session import Published
    files, _ = file_states(output.resolve())
    return Published(output.resolve(), files, pages, toolchain())


def _update_in_place(options: BuildOptions, checked: Checked, report: BuildReport, plan: list, selected,
                     on_document, progress, session) -> bool:
    """A session's build when its last one left the output: make only the files whose inputs
    changed, in a scratch folder, then move them over their places and remove what the sources
    no longer make (site.publish.publish_in_place). The output it leaves is the one a staged
    build would leave, byte for byte, manifest included; False (nothing done) when the output
    is not one this can update: none yet, another output folder, or a file where a folder
    must go.

    Why: a staged build links every file of a trust's output (thousands) into a new folder
    and renders every site page again, for a save that changed one school. Here a document is
    left as it is when the manifest says it was made for the key the sources give it now and
    the file is the one the session left (same inode, size and time); a site page when what
    it reads (site.reads) is what it read then; the assets when the compiler is the same."""
    held = session.published
    output = options.output.resolve()
    if held is None or held.output != output or not output.is_dir():
        return False
    on_disk, folders = file_states(output)
    planned = {o.path for o in plan if o.phase != ASSETS_PHASE}
    if any(rel in folders or _under_a_file(rel, on_disk) for rel in planned):
        return False  # a file where a folder must go, or the other way round: the staged build sorts it out

    def untouched(rel: str) -> bool:
        return rel in on_disk and on_disk[rel] == held.files.get(rel)

    project = checked.project
    before = made(output)
    documents = [o for o in plan if o.phase == DOCUMENT]
    keys = _keys(options.formats, options, checked, session)
    key_of = {o.path: keys.key(o) for o in documents}
    stale_docs = [o for o in documents
                  if (before.get(o.path) or [""] * 3)[2:3] != [key_of[o.path]] or not untouched(o.path)]
    from policyc.render.writers import Context, asset_files
    from policyc.site.reads import page_reads
    with scratch(output) as folder:
        context = Context(folder, project, checked.histories, options.formats, options.today)
        context.entry_memo = session.entries
        cache = DocumentCache(cache_folder(output), session.verified) if options.cache else None
        todo = [o for o in stale_docs if not (cache and cache.place(key_of[o.path], folder / o.path))]
        pending = _render(options, documents, todo, context, report, selected, on_document, progress,
                          lambda path: None)  # stored in the cache once everything is made: see below
        remade = {o.path for o in stale_docs}
        context.sizes = {**_sizes([o for o in documents if o.path not in remade], output),
                         **_sizes([o for o in documents if o.path in remade], folder)}
        assets = [o for o in plan if o.phase == ASSETS_PHASE]
        shipped = {f"{o.path}/{name}" for o in assets for name in asset_files()}
        for out in assets:
            if held.toolchain != toolchain() or not all(untouched(f"{out.path}/{n}") for n in asset_files()):
                WRITERS[out.format](out, context)
        pages = {}
        for out in plan:
            if out.phase == SITE:
                reads = page_reads(out, context)
                if reads is not None and reads.same_as(held.pages.get(out.path)) and untouched(out.path):
                    pages[out.path] = reads
                    continue
                WRITERS[out.format](out, context)
                pages[out.path] = reads
                new, old = folder / out.path, output / out.path
                if untouched(out.path) and new.read_bytes() == old.read_bytes():
                    new.unlink()  # the same bytes: left as they are on disk
        produced, _ = file_states(folder)

        # What the last output held that this build does not make: as carry_over decides.
        schools = {s.slug for s in project.schools}
        alive = {(h.current.school_slug, h.current.policy_id) for h in checked.histories}
        current = _current_keys(options, checked, session, keys)
        removed: list[tuple[bool, str]] = []
        stale: list[str] = []
        owners: dict[str, list] = {}
        ours = planned | shipped
        doc_of = {o.path: o for o in documents}
        for rel in sorted(on_disk, key=lambda r: r.split("/")):
            if rel in ours or rel in produced or rel in (MARKER, MANIFEST) or rel not in before:
                continue  # this build's, or not policyc's (kept, never listed)
            fate = leftover_fate(rel, before[rel], options.formats, alive, schools, current)
            if fate == REMOVED:
                removed.append((not (before[rel] + ["", ""])[1], rel))
            elif fate == STALE:
                stale.append(rel)
            else:
                owners[rel] = before[rel]
        for rel in sorted(ours | set(produced)):
            if rel not in produced and rel not in on_disk:
                continue
            doc = doc_of.get(rel)
            owners[rel] = ([doc.policy.school_slug, doc.policy.policy_id, key_of[rel], list(options.formats)]
                           if doc is not None else _owner(rel, schools))
        if cache:
            for rel in pending:
                cache.store(key_of[rel], folder / rel)
            inputs = fingerprint(checked.sources, options.formats, options.today)
            if inputs:
                cache.save_keys(inputs, key_of)
        report.removed = [rel for _, rel in sorted(removed)]
        report.stale = stale
        publish_in_place(output, folder, sorted(produced), report.removed + stale, owners)
    for rel in produced:
        info = os.stat(output / rel)
        on_disk[rel] = (info.st_ino, info.st_size, info.st_mtime_ns)
    for rel in report.removed + report.stale:
        on_disk.pop(rel, None)
    held.files, held.pages, held.toolchain = on_disk, pages, toolchain()
    session.counts["in place"] += 1
    return True


def _under_a_file(rel: str, files: dict) -> bool:
    parts = rel.split("/")
    return any("/".join(parts[:i]) in files for i in range(1, len(parts)))
