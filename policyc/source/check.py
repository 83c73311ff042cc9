"""Gather every source file, validate it, and check what the schemas cannot: all at once."""

from __future__ import annotations

import difflib
import re
from dataclasses import replace
from pathlib import Path
from typing import Optional

from policyc.errors import Position, Problems, display_path, locate
from policyc.limits import MAX_LIST_DEPTH, MAX_MARKUP_NESTING, MAX_TABLE_ROWS, MAX_TEXT_CHARS
from policyc.model import Brand, ModelPolicy, Project, School, Section
from policyc.names import ID_RULE, is_id, is_slug, leftover
from policyc.source.bounds import within_bounds
from policyc.source.brand import read_brand
from policyc.source.load import Loader, as_section, ids_of, texts, walk_clauses
from policyc.source.read import SourceFile, load_yaml, yaml_from_bytes
from policyc.source.salvage import salvage
from policyc.source.schema import validate
from policyc.text.glyphs import suggestion, undrawable
from policyc.text.placeholders import declare_role, references
from policyc.text.prose import is_safe_link, shape, too_deep

URL_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")
# Anchors the templates use themselves; a clause may not take one of these ids.
RESERVED_IDS = {"contents", "ratification", "main", "top", "changes-table", "policy-title"}


class Reading:
    """How load_project reads a file and makes its model: afresh every time. A serve session
    (policyc/session.py) gives one that keeps both for a file whose bytes have not changed."""

    def read(self, path: Path, kind: str, problems: Problems, root: Path) -> Optional[SourceFile]:
        return _read(path, kind, problems, root)

    def model(self, source: SourceFile, kind: str, problems: Problems, slug: str = ""):
        loader = Loader(source, problems)
        return loader.trust() if kind == "trust" else loader.policy() if kind == "policy" else loader.school(slug)

    def branded(self, model, source: SourceFile, problems: Problems, root: Path):
        """The trust or school with its `brand:` read (its logo file's bytes with it); the
        same object where the file gives none."""
        brand = read_brand(source, root, problems)
        return replace(model, brand=brand) if brand != Brand() else model

    def check_policy(self, source: SourceFile, policy: ModelPolicy, problems: Problems, cross: dict) -> ModelPolicy:
        return _policy(source, policy, problems, cross)

    def check_school(self, project: Project, school: School, source: SourceFile, broken: set,
                     problems: Problems) -> None:
        _check_school(project, school, source, broken, problems)


AFRESH = Reading()


def load_project(root: Path, problems: Problems, reading: Reading = AFRESH) -> Optional[Project]:
    """Read and check a source folder; problems go to `problems`, None if unusable."""
    trust_file = root / "trust.yaml"
    if not trust_file.is_file() and (root / "trust.yml").is_file():
        trust_file = root / "trust.yml"
    if not trust_file.is_file():
        problems.error(Position(display_path(root)), "no trust.yaml in this source folder",
                       "point --source at a folder holding trust.yaml, policies/ and schools/")
        return None
    _not_read(root, {trust_file.name, "policies", "schools", "snapshots"}, problems, top=True)
    trust_src = reading.read(trust_file, "trust", problems, root)
    policy_files = source_files(root / "policies", problems)
    policy_srcs = [s for p in policy_files if (s := reading.read(p, "policy", problems, root))]
    # Policies whose files have errors of their own: a school's overlay on one is not also wrong.
    broken = {p.stem for p in policy_files} - {s.path.stem for s in policy_srcs}
    school_srcs = [s for p in source_files(root / "schools", problems)
                   if (s := reading.read(p, "school", problems, root))]
    if not policy_files:
        problems.error(Position(display_path(root / "policies")), "no model policies found",
                       "add a file such as policies/social-media.yaml")

    trust = reading.model(trust_src, "trust", problems) if trust_src else None
    trust = reading.branded(trust, trust_src, problems, root) if trust is not None else None
    models = [(s, reading.model(s, "policy", problems)) for s in policy_srcs]
    cross = _Known(cross_ids(m for _, m in models), broken)
    policies = tuple(reading.check_policy(s, m, problems, cross) for s, m in models)
    schools = _schools(school_srcs, problems, reading, root)
    if trust is None:
        return None
    project = Project(trust, policies, schools)
    _check_owners(project, problems)
    sources = {s.name: s for s in school_srcs}
    for school in schools:
        reading.check_school(project, school, sources[school.source], broken, problems)
    return project


YAML_SUFFIXES = (".yaml", ".yml")


def _scratch(name: str) -> bool:
    """A file manager's own file, a hidden file or an editor's leftover: never the author's source."""
    return name in (".DS_Store", "Thumbs.db", "desktop.ini") or name.startswith(".") or bool(leftover(name))


def source_files(folder: Path, problems: Problems) -> list[Path]:
    """The .yaml and .yml files in `folder`, each read alike; any other file is named in a warning,
    an editor's leftover in a note."""
    if not folder.is_dir():
        return []
    found = sorted(p for p in folder.iterdir() if p.suffix.lower() in YAML_SUFFIXES and not _scratch(p.name)
                   and p.is_file())
    stems: dict[str, Path] = {}
    for path in found:
        if path.stem in stems:
            problems.error(Position(display_path(path), 1, 1),
                           f"{path.name} and {stems[path.stem].name} are two files for the same {path.stem!r}",
                           "keep one of them (policyc reads .yaml and .yml alike)")
        stems.setdefault(path.stem, path)
    _not_read(folder, {p.name for p in found}, problems)
    return [p for p in found if stems[p.stem] == p]


def note_leftover(path: Path, problems: Problems) -> bool:
    """Whether `path` is an editor's leftover; if so, a note names it (the link itself, for
    Emacs's lock, never the user@host it points at)."""
    kind = leftover(path.name)
    if kind:
        problems.note(Position(display_path(path, follow_link=False)), f"{kind}, not read")
    return bool(kind)


def _not_read(folder: Path, read: set, problems: Problems, top: bool = False) -> None:
    """Warn about a file the author may think is read: a .txt, a folder of schools, a .yaml at the top."""
    for path in sorted(folder.iterdir()):
        if path.name in read:
            continue
        if top and not any(s in path.name.lower() for s in YAML_SUFFIXES):
            continue  # a README or .gitignore beside trust.yaml (or its editor's leftovers): the trust's own business
        if note_leftover(path, problems) or _scratch(path.name):
            continue
        if top and path.suffix.lower() not in YAML_SUFFIXES:
            continue
        if top:
            hint = "policyc reads trust.yaml here; a policy goes in policies/, a school in schools/"
        elif path.is_dir():
            hint = (f"policyc reads only the .yaml (or .yml) files directly in {folder.name}/: move the files "
                    f"to be read up into {folder.name}/, or the folder out of the source folder")
        else:
            hint = (f"policyc reads only the .yaml (or .yml) files in {folder.name}/: rename it to end in .yaml "
                    f"if it is a source file, or move it out of the source folder")
        problems.warn(Position(display_path(path)), f"this {'folder' if path.is_dir() else 'file'} is not read",
                      hint)


def _read(path: Path, kind: str, problems: Problems, root: Path, data: Optional[bytes] = None) -> Optional[SourceFile]:
    """`data`: the file's bytes, when the caller has read them (see load_yaml)."""
    source = (load_yaml(path, display_path(path), problems, within=root) if data is None
              else yaml_from_bytes(data, path, display_path(path), problems))
    if source is None:
        return None
    if source.data is None:
        problems.error(Position(source.name, 1, 1), f"this {kind} file is empty", _EMPTY_HINTS[kind])
        return None
    if not isinstance(source.data, dict):
        problems.error(source.at(), f"a {kind} file must be a mapping of keys to values, not "
                       + ("a list" if isinstance(source.data, list) else "a single value"),
                       f"write one key on each line, such as {_FIRST_LINES[kind]}")
        return None
    if not within_bounds(source, problems):
        return None
    if not validate(source, kind, problems):
        salvaged = salvage(source, kind)
        if salvaged is None:
            return None
        source, cut = salvaged
        problems.mute(cut)
    source = _characters(source, problems)
    if kind in ("trust", "school"):
        _references_outside_clauses(source, problems)
    return source


_FIRST_LINES = {"trust": "'name: Oak Learning Trust'", "policy": "'id: social-media'",
                "school": "'name: Oak Primary School'"}
_EMPTY_HINTS = {
    "trust": "a trust file needs at least approving_body: (such as 'approving_body: Local Governing Body') "
             "and roles:, and usually name: and terms:",
    "policy": "a policy file needs id: (its file name), title: and sections:; "
              "'policyc new policy ID' writes one to start from",
    "school": "a school file needs at least name: (such as 'name: Oak Primary School'); "
              "'policyc new school SLUG' writes one to start from",
}


def _characters(source: SourceFile, problems: Problems) -> SourceFile:
    """Every character of every key and value: one the house fonts can draw and a Word file can hold.

    What validates must build: a character no font has stops the PDF writer, a control
    character the Word writer, a lone surrogate every writer; each is found here, in place.
    """
    stack = [((), source.data)]
    halves = False
    while stack:
        path, value = stack.pop()
        if isinstance(value, dict):
            for k, v in value.items():
                if isinstance(k, str):
                    _characters_of(k, source.key_at(path + (k,)), problems)
                    halves = halves or bool(_SURROGATE.search(k))
                stack.append((path + (k,), v))
        elif isinstance(value, list):
            stack += [(path + (i,), v) for i, v in enumerate(value)]
        elif isinstance(value, str):
            _characters_of(value, source.at(path), problems)
            halves = halves or bool(_SURROGATE.search(value))
    if halves:
        # Reported above; every later check still reads the file (one round of errors), and a
        # lone surrogate cannot be encoded, which the snapshot comparison and the keys must do.
        return replace(source, data=_without_surrogates(source.data))
    return source


_SURROGATE = re.compile("[\ud800-\udfff]")


def _without_surrogates(value):
    """The data with each lone surrogate replaced by U+FFFD, so it can be encoded as UTF-8."""
    if isinstance(value, str):
        return _SURROGATE.sub("\ufffd", value)
    if isinstance(value, dict):
        return {_without_surrogates(k): _without_surrogates(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_without_surrogates(v) for v in value]
    return value


def _characters_of(text: str, where: Position, problems: Problems) -> None:
    cursor = where  # found in the order written, each at its own place (an escape such as "\x01": the value's)
    for _, ch, why in undrawable(text)[:20]:  # the first few of a long run are enough to act on
        at = locate(cursor, ch)
        if at != cursor:
            cursor = Position(at.file, at.line, at.column + 1)
        problems.error(at, why, suggestion(ch))


# Overlay keys whose values are clause content, where [[clause-id]] means a paragraph number.
_CLAUSE_CONTENT = {"add", "replace"}


def _references_outside_clauses(source: SourceFile, problems: Problems) -> None:
    """A [[reference]] in a name, a role or a value has no paragraph to point at."""
    stack = [((), source.data)]
    while stack:
        path, value = stack.pop()
        if isinstance(value, dict):
            stack += [(path + (k,), v) for k, v in value.items()]
        elif isinstance(value, list):
            stack += [(path + (i,), v) for i, v in enumerate(value)]
        elif isinstance(value, str) and "[[" in value and not _CLAUSE_CONTENT & set(path):
            problems.error(source.at(path), "a cross-reference [[...]] can only be used in clause text",
                           "write the words out here, or move the reference into a clause")


class _Known(dict):
    """The ids [[...]] may name; one into a policy that could not be read at all is taken
    as known, since that policy's own errors are reported and its ids are not known."""

    def __init__(self, ids: dict, unreadable: set) -> None:
        super().__init__(ids)
        self.unreadable = frozenset(unreadable)

    def __contains__(self, ref: object) -> bool:
        return dict.__contains__(self, ref) or (isinstance(ref, str) and ref.partition("#")[0] in self.unreadable)


def cross_ids(policies) -> dict[str, Position]:
    """What [[...]] may name in another policy: [[policy-id]] and [[policy-id#clause-id]]."""
    found: dict[str, Position] = {}
    for policy in policies:
        found[policy.id] = Position(policy.source)
        found.update({f"{policy.id}#{i}": where for i, where in ids_of(policy.sections).items()})
    return found


def _policy(source: SourceFile, policy: ModelPolicy, problems: Problems, cross: dict) -> ModelPolicy:
    if policy.id != source.path.stem:
        problems.error(source.at(("id",)), f"the policy id {policy.id!r} does not match the file name",
                       f"rename the file to {policy.id}.yaml or set id: {source.path.stem}")
    elif not is_id(policy.id):  # the id names the policy's files in output/
        problems.error(source.at(("id",)), f"the policy id {policy.id!r} is not safe for a file name", f"use {ID_RULE}")
    _check_ids(policy.sections, problems)
    options = {o.id: o for o in policy.options}
    for option in policy.options:
        if ("options", option.id, "default") in source.cut:
            continue  # a default of the wrong kind is reported as such, not as an unknown choice
        if option.default not in dict(option.choices):
            problems.error(source.at(("options", option.id, "default")),
                           f"the default {option.default!r} is not one of the choices of {option.id!r}")
    for section in policy.sections:
        for clause in walk_clauses(section.clauses):
            _check_clause_option(clause, options, problems, refused=_refused_options(source))
    known = _Known({**cross, **ids_of(policy.sections)}, getattr(cross, "unreadable", ()))  # its own ids win
    _check_references(policy, known, problems)
    if policy.preamble:
        _check_text(policy.preamble, policy.at("preamble"), known, problems)
    for i, entry in enumerate(policy.history):
        _check_text(entry.summary, policy.at(f"history.{i}"), known, problems)
    _check_reasons(policy.sections, [(i, why, policy.at(f"reasons.{i}")) for i, why, _ in policy.reasons],
                   known, problems)
    return policy


def _check_reasons(sections, listed, known: dict, problems: Problems) -> None:
    """A reason for a change is shown as Markdown in the redline, the review pack and the table
    of changes: its links and markup are checked as clause text's are. It names no paragraph
    number: where it stands says which change it explains."""
    written = list(listed)
    for section in sections:
        if section.change:
            written.append((section.id, section.change[0], section.change_at or section.position))
        for clause in walk_clauses(section.clauses):
            if clause.change:
                written.append((clause.id, clause.change[0], clause.change_at or clause.position))
    for item_id, why, where in written:
        for ref in references(why):
            shown = ref if ref.startswith("[[") else f"[[{ref}]]"
            problems.error(locate(where, shown), f"a cross-reference {shown} cannot be used in a reason for a "
                           f"change (the reason for changing {item_id!r})",
                           "the reason is shown beside the change it explains: write the words out here")
        _check_markdown(why, where, known, problems)


def _check_ids(sections, problems: Problems, taken: Optional[dict] = None) -> None:
    """Each id once in a policy: a clause and a section may not share one either."""
    seen: dict[str, tuple[Position, str]] = {k: (v, "a clause or section") for k, v in (taken or {}).items()}
    def see(item_id: str, where: Position, what: str) -> None:
        if not item_id:  # a wrapper around a lone clause
            return
        if item_id in seen:
            first, by = seen[item_id]
            place = f"on line {first.line}" if first.file == where.file and first.line else f"at {first}"
            problems.error(where, f"the id {item_id!r} is already used by {by} {place}",
                           "every clause and section needs its own id")
        elif item_id in RESERVED_IDS:
            problems.error(where, f"the id {item_id!r} is reserved for the page itself",
                           "choose another id")
        else:
            seen[item_id] = (where, what)
    for section in sections:
        see(section.id, section.position, "a section")
        for clause in walk_clauses(section.clauses):
            see(clause.id, clause.position, "a clause")


def _refused_options(source: SourceFile) -> set[str]:
    """The options the schema refused (all of them when `options:` itself was): a clause that
    uses one is not also told that it is undefined."""
    cut = [p for p in source.cut if p[:1] == ("options",)]
    if ("options",) in cut:
        return {"*"}
    return {p[1] for p in cut if len(p) > 1}


def _check_clause_option(clause, options, problems: Problems, refused: set = frozenset()) -> None:
    body = clause.body
    if not clause.option:
        if not (body.title or body.text or body.items or body.duties or body.clauses):
            problems.error(clause.position, f"the clause {clause.id!r} has no words",
                           "give it text, items, duties, sub-clauses, or an option with choices", follow_on=True)
        return
    if body.text or body.items or body.duties or body.after:
        problems.error(clause.position,
                       f"the clause {clause.id!r} has both words of its own and choices",
                       "put the words inside each choice")
    option = options.get(clause.option)
    if option is None:
        if "*" in refused or clause.option in refused:
            return  # its definition is reported where it is written
        close = difflib.get_close_matches(clause.option, list(options), n=1)
        problems.error(clause.position, f"the option {clause.option!r} is not defined by this policy",
                       f"did you mean {close[0]!r}?" if close else "define it under options:")
        return
    wanted, given = set(dict(option.choices)), {k for k, _ in clause.choices}
    for missing in sorted(wanted - given):
        problems.error(clause.position, f"the clause {clause.id!r} has no words for the choice {missing!r}",
                       "add it under choices: (null leaves the clause out for that choice)", follow_on=True)
    for extra in sorted(given - wanted):
        problems.error(clause.position, f"{extra!r} is not a choice of the option {clause.option!r}",
                       f"the choices are: {', '.join(sorted(wanted))}")


def _all_texts(sections):
    for section in sections:
        yield section, section.position, section.title
        for clause in walk_clauses(section.clauses):
            bodies = [clause.body] + [c for _, c in clause.choices if c is not None]
            for body in bodies:
                for text in texts(body):
                    yield clause, clause.position, text


def _check_references(policy_or_sections, known: dict, problems: Problems) -> None:
    sections = getattr(policy_or_sections, "sections", policy_or_sections)
    for item, where, text in _all_texts(sections):
        _check_text(text, where, known, problems)


def _check_text(text: str, where: Position, known: dict, problems: Problems) -> None:
    for ref in references(text):
        if ref in known:
            continue
        written = ref if ref.startswith("[[") else f"[[{ref}]]"
        close = difflib.get_close_matches(written[2:-2].strip().lower(), list(known), n=1)
        problems.error(locate(where, written), f"the cross-reference {written} names no clause or section",
                       f"did you mean [[{close[0]}]]?" if close else
                       "write [[ID]] with the id of a clause or section in this policy")
    _check_markdown(text, where, known, problems)


def _check_markdown(text: str, where: Position, known: dict, problems: Problems) -> None:
    """Links, raw HTML and the limits, as markdown-it reads the text: one linear pass."""
    if len(text) > MAX_TEXT_CHARS:
        problems.error(where, f"this text is {len(text):,} characters long; one clause may hold at most "
                              f"{MAX_TEXT_CHARS:,}", "split it into several clauses")
        return
    deep = too_deep(text)
    if deep:
        problems.error(_at_offset(where, text, deep),
                       f"brackets, quotes or lists are nested more than {MAX_MARKUP_NESTING} deep here",
                       "close each [ and ( where it is meant to end, or write the text more plainly")
        return
    found = shape(text)
    cursor = where  # links are found in the order they are written, each at its own place
    for url in found.links:
        at = locate(cursor, url)
        if at != cursor:
            cursor = Position(at.file, at.line, at.column + len(url))
        if url.startswith("#"):
            anchor = url[1:]
            if anchor not in known and anchor not in RESERVED_IDS:
                close = difflib.get_close_matches(anchor, list(known), n=1)
                problems.error(at, f"the link {url} points at no clause or section of this policy",
                               f"did you mean #{close[0]}?" if close else "link to a clause or section id, "
                               "or write [[id]] to show its paragraph number")
            continue
        if is_safe_link(url):
            continue
        scheme = URL_SCHEME.match(url)
        if scheme and scheme.group(0).lower() not in ("http:", "https:"):
            # The scheme alone: a target such as javascript:alert(1) is not quoted in full.
            problems.error(at, f"a link to a {scheme.group(0).lower()!r} address is not allowed",
                           "links may start with https://, mailto: or #")
        else:
            problems.error(at, f"the link {url!r} is not allowed",
                           "links may start with https://, mailto: or # (use https:// rather than http://)")
    if found.list_depth > MAX_LIST_DEPTH:
        problems.error(where, f"lists are nested {found.list_depth} deep here; at most {MAX_LIST_DEPTH} levels "
                              "are allowed", "flatten the list, or make the deepest items sub-clauses")
    if found.table_rows > MAX_TABLE_ROWS:
        problems.error(where, f"this table has {found.table_rows:,} rows; a table may have at most "
                              f"{MAX_TABLE_ROWS:,}", "split it, or put the data in an appendix of its own")
    if found.html:
        problems.warn(locate(where, found.html[0]), "this text contains HTML tags, which are shown as text, "
                      "not as markup", "use Markdown instead: *emphasis*, **bold**, [link](https://...)")


def _at_offset(where: Position, text: str, offset: int) -> Position:
    """The place in the file of the character `offset` (from 1) of a value that starts at `where`:
    found again by the words before it on its line (all of them: a run of brackets repeats),
    or the value's own place."""
    start = text.rfind("\n", 0, offset - 1) + 1
    before = text[start:offset]
    at = locate(where, before)
    return Position(at.file, at.line, at.column + len(before) - 1) if at != where else where


def _schools(sources: list[SourceFile], problems: Problems, reading: Reading, root: Path) -> tuple[School, ...]:
    schools, slugs = [], {}
    for source in sources:
        slug = source.data.get("slug", source.path.stem)
        where = source.at(("slug",)) if "slug" in source.data else Position(source.name, 1, 1)
        if not is_slug(slug):
            problems.error(where, f"the school slug {slug!r} is not safe for a folder name",
                           "use lower-case letters, digits and single hyphens, such as 'oakfield-primary'"
                           + ("" if "slug" in source.data else "; rename the file or set slug:"))
            continue
        if slug in slugs:
            problems.error(where, f"the slug {slug!r} is already used by {slugs[slug]}",
                           "every school needs its own slug")
            continue
        slugs[slug] = source.name
        school = reading.model(source, "school", problems, slug)
        schools.append(reading.branded(school, source, problems, root))
    return tuple(schools)


def _check_owners(project: Project, problems: Problems) -> None:
    """A policy's owner, and the house style's, is one of the trust's roles."""
    roles = [k for k, _ in project.trust.roles]
    style = project.trust.house_style
    owners = [(style.owner, style.owner_at)] + [(p.owner, p.at("owner")) for p in project.policies]
    for key, where in owners:
        if key and key not in roles:
            close = difflib.get_close_matches(key, roles, n=1)
            problems.error(where or Position(project.trust.source), f"the owner {key!r} is not one of the trust's roles",
                           f"did you mean {close[0]!r}?" if close else f"the trust's roles are: {', '.join(roles)}")


def _check_school(project: Project, school: School, source: SourceFile, broken: set,
                  problems: Problems) -> None:
    trust = project.trust
    roles = [k for k, _ in trust.roles]
    for key, holder in school.roles:
        if key not in roles:
            close = difflib.get_close_matches(key, roles, n=1)
            problems.error(source.key_at(("roles", key)), f"the role {key!r} is not one of the trust's roles",
                           f"did you mean {close[0]!r}?" if close else
                           f"the trust's roles are: {', '.join(roles)}; "
                           + declare_role(key, trust.source, holder.title))
    policies = {p.id: p for p in project.policies}
    for overlay in school.overlays:
        policy = policies.get(overlay.policy_id)
        if policy is None and overlay.policy_id in broken:
            continue  # its own errors are reported; checking the overlay against it would mislead
        if policy is None:
            close = difflib.get_close_matches(overlay.policy_id, list(policies), n=1)
            problems.error(overlay.position, f"there is no model policy {overlay.policy_id!r}",
                           f"did you mean {close[0]!r}?" if close else
                           f"the policies are: {', '.join(policies) or 'none'}")
            continue
        if overlay.applies is False and not overlay.reason:
            problems.error(source.key_at(("policies", overlay.policy_id, "applies")),
                           f"{school.name or school.slug} opts out of {overlay.policy_id!r} without saying why",
                           "add reason: ... (it is shown on the trust's dashboard)")
        _check_overlay(policy, overlay, source, problems, _Known(cross_ids(project.policies), broken))
        _check_ratification(overlay, source, problems)


def _check_overlay(policy: ModelPolicy, overlay, source: SourceFile, problems: Problems,
                   cross: Optional[dict] = None) -> None:
    base = ("policies", overlay.policy_id)
    known = ids_of(policy.sections)
    sections = {s.id for s in policy.sections}

    def must_exist(item_id: str, where: Position, what: str) -> bool:
        if item_id in known:
            return True
        close = difflib.get_close_matches(item_id, list(known), n=1)
        problems.error(where, f"{what} {item_id!r}, but {policy.source} has no clause or section with that id",
                       f"did you mean {close[0]!r}?" if close else "")
        return False

    options = {o.id: o for o in policy.options}
    for key, choice, where in overlay.options:
        if key not in options:
            close = difflib.get_close_matches(key, list(options), n=1)
            problems.error(source.key_at(base + ("options", key)), f"{policy.source} has no option {key!r}",
                           f"did you mean {close[0]!r}?" if close else
                           f"its options are: {', '.join(options) or 'none'}")
        elif choice not in dict(options[key].choices):
            choices = [c for c, _ in options[key].choices]
            close = difflib.get_close_matches(choice, choices, n=1)
            problems.error(where, f"{choice!r} is not a choice of the option {key!r}",
                           f"did you mean {close[0]!r}?" if close else f"choose one of: {', '.join(choices)}")
    for item_id, where in overlay.remove:
        must_exist(item_id, where, "this removes")
    for item in overlay.replace:
        if must_exist(item.id, item.position, "this replaces"):
            if isinstance(item, Section) != (item.id in sections):
                problems.error(item.position, f"{item.id!r} is a {'section' if item.id in sections else 'clause'} "
                               f"in the model, so replace it with a {'section' if item.id in sections else 'clause'}")
    added = []
    for i, addition in enumerate(overlay.add):
        anchor = addition.after or addition.before or addition.into
        key = "after" if addition.after else "before" if addition.before else "into"
        at = source.at(base + ("add", i, key))  # the anchor's id, as written
        if anchor and must_exist(anchor, at, "this adds next to"):
            if addition.section and addition.into:
                problems.error(at, "a section cannot go into another; use after: or before:")
            elif addition.section and anchor not in sections:
                problems.error(at, "a section can only go after or before another section",
                               f"{anchor!r} is a clause")
            if addition.clause and anchor in sections and not addition.into:
                problems.error(at, f"{anchor!r} is a section: use into: to add a clause at its end")
        elif not anchor and addition.clause:
            problems.error(addition.position, "say where the clause goes: after:, before: or into:",
                           follow_on=True)
        added.append(addition.section or as_section(addition.clause))
    replaced = [r if isinstance(r, Section) else as_section(r) for r in overlay.replace]
    _check_ids(added, problems, taken={k: v for k, v in known.items()})
    options_map = options
    for item in added + replaced:
        for clause in walk_clauses(item.clauses):
            _check_clause_option(clause, options_map, problems)
    all_known = _Known({**(cross or {}), **known}, getattr(cross, "unreadable", ()))
    for item in added:
        all_known.update(ids_of([item]))
    _check_references(added + replaced, all_known, problems)
    listed = dict(overlay.reasons_at)
    _check_reasons(added + replaced, [(i, why, listed.get(i, overlay.position)) for i, why, _ in overlay.reasons],
                   all_known, problems)


def _check_ratification(overlay, source: SourceFile, problems: Problems) -> None:
    r, where = overlay.ratification, overlay.ratification_position
    if where is None:
        return
    path = ("policies", overlay.policy_id, "ratification")
    written = source.data["policies"][overlay.policy_id]["ratification"]
    refused = {p[len(path)] for p in source.cut if p[:len(path)] == path and len(p) > len(path)}
    if "status" in refused:
        return  # what the record needs depends on the status, which is reported as it is
    if r.status == "ratified":
        # a date or signatories written but refused are reported where they are written
        if "date" not in written and "date" not in refused:
            problems.error(where, "a ratified policy needs the date it was ratified",
                           "add date: YYYY-MM-DD, or set status: draft")
        if not r.signatories and "signatories" not in refused:
            problems.error(where, "a ratified policy needs its signatories",
                           "add signatories: [{name: ..., role: Chair of Governors}]")
    if r.date and r.next_review and r.next_review <= r.date:
        problems.error(source.at(path + ("next_review",)),
                       f"the next review date {r.next_review.isoformat()} is not after "
                       f"the ratification date {r.date.isoformat()}",
                       "check both dates")
    if r.status == "draft" and r.signatories:
        problems.warn(source.key_at(path + ("signatories",)), "a draft has signatories",
                      "set status: ratified once it is adopted")


