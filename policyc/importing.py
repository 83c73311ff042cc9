"""`policyc import FILE`: an existing policy document added to a trust's sources, checked at once."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional

import yaml

from policyc.compile.resolve import walk_blocks
from policyc.errors import InvalidSource, UsageError, UserError, display_path
from policyc.importers.assemble import NO_SCHOOL_NAME, Imported, assemble, school_header
from policyc.importers.ids import slug
from policyc.importers.overlay import compare
from policyc.render.present import Words
from policyc.importers.read import SUFFIXES, read_document
from policyc.importers.yamlout import add_entries, add_school_policy, dump
from policyc.importers.writing import Changes, kept_text, within
from policyc.source.journal import Write, publish
from policyc.names import ID_RULE, SLUG_RULE, is_id, is_slug, leftover
from policyc.pipeline import check, check_all


def _slug_argument(school_slug: Optional[str]) -> None:
    """--school SLUG by the grammar the checker holds every school's file name to."""
    if school_slug is not None and not is_slug(school_slug):
        raise UsageError(f"--school {school_slug!r}: a school's slug is {SLUG_RULE}")


def _name_key(name: str) -> str:
    words = re.sub(r"[^a-z0-9 ]+", " ", name.lower().replace("&", " and ")).split()
    return " ".join(w for w in words if w != "the")


def existing_school(source: Path, name: Optional[str]) -> Optional[str]:
    """The slug of the trust's school that the document's name is (its name: or short_name:), if one is.

    "Moorside Primary School" is schools/moorside-primary.yaml when that file says
    name: Moorside Primary School; a name no school has is None (a new school)."""
    if not name or not (source / "schools").is_dir():
        return None
    wanted = _name_key(name)
    found = []
    for path in sorted((source / "schools").glob("*.yaml")):
        if leftover(path.name):  # an editor's, such as macOS's ._school.yaml, which is not even text
            continue
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        except (OSError, ValueError, yaml.YAMLError):  # ValueError: not UTF-8
            continue
        names = [data.get(k) for k in ("name", "short_name") if isinstance(data, dict)]
        if any(isinstance(n, str) and _name_key(n) == wanted for n in names):
            found.append(str(data.get("slug") or path.stem))
    return found[0] if len(found) == 1 else None


def read_import(document: Path, placeholders: bool = False, policy_id: str | None = None) -> Imported:
    """The files `document` becomes, not yet written."""
    if policy_id is not None and not is_id(policy_id):
        raise UsageError(f"--id {policy_id!r}: a policy's id is {ID_RULE}")
    if not document.is_file():
        raise UsageError(f"{display_path(document)}: no such file")
    notes: list[str] = []
    imported = assemble(read_document(document, notes), document.name, placeholders, policy_id)
    imported.notes = notes  # what was done to its text on the way (another encoding, control characters)
    return imported


def import_document(document: Path, source: Path, placeholders: bool = False,
                    policy_id: str | None = None, school_slug: Optional[str] = None,
                    imported: Optional[Imported] = None, also_others: bool = False) -> tuple[Imported, list[str]]:
    """Write the trust (if new), the policy and its school into `source`; return what was done and a report.

    The school is `school_slug` when given, else the trust's school of the name the document
    gives, else a new school file; an existing school file gets the policy added under policies:.
    `imported`: the document as read_import has already read it. In a trust with other schools
    (or `also_others`: a folder bringing several) the policy is the school's own, for it alone
    (applies_to: schools:), never given to the other schools with this school's words."""
    _slug_argument(school_slug)
    imported = imported or read_import(document, placeholders, policy_id)
    matched = school_slug or existing_school(source, imported.school_name)
    if matched and matched != imported.school_slug:
        made = imported.files.pop(f"schools/{imported.school_slug}.yaml")
        imported.files[f"schools/{matched}.yaml"] = made
        imported.school_slug = matched
    # With placeholders it is made a model for them all.
    if (also_others or _other_schools(source, imported.school_slug)) and not placeholders:
        _own_policy(imported)
    plan: dict[Path, str] = {}
    before: dict[Path, str] = {}  # files that were there already, as they were
    added_roles: dict[str, str] = {}
    for rel, text in imported.files.items():
        path = within(source, rel)  # before anything is made: the names come from the document's words
        if rel == "trust.yaml" and path.is_file():
            # An existing trust keeps its own settings; a role the document's signatures or
            # words name that the trust has not got is added, with the title the document uses.
            before[path] = kept_text(path)
            new_school = not within(source, f"schools/{imported.school_slug}.yaml").exists()
            added_roles = _missing_roles(before[path], text, imported.school) if new_school else {}
            if added_roles:
                plan[path] = add_entries(before[path], "roles", added_roles)
            else:
                del before[path]
            continue
        if rel == "trust.yaml" and path.exists():
            continue
        if rel.startswith("schools/") and path.is_file():
            before[path] = kept_text(path)
            plan[path] = add_school_policy(before[path], imported.overlay)
            continue
        if path.exists():
            raise UsageError(f"{display_path(path)} already exists; policyc import never overwrites a file "
                            "(give another id with --id, or move the file)")
        plan[path] = text
    written = list(plan)
    writes = [Write(path, text.encode("utf-8"), path.read_bytes() if path in before else None)
              for path, text in plan.items()]
    made = _make_source(source)
    try:  # all the files or none, even if the import is killed (source/journal.py)
        made += publish(source, writes, f"import of {display_path(document)}")
    except BaseException:
        _remove_empty(made)
        raise
    to_fill: list[str] = []
    school_file = f"schools/{imported.school_slug}.yaml"
    try:
        try:
            _, policies, warnings = check(source)
        except InvalidSource as exc:  # a new school that lacks only names the trust's policies need: asked for
            to_fill = _school_needs(exc.errors, school_file) if within(source, school_file) not in before else []
            if not to_fill:
                raise
            policies, warnings = [], []
    except BaseException as exc:
        _take_back(writes, made)  # only what this import made or changed, put back byte for byte
        if isinstance(exc, InvalidSource):
            raise UserError("the imported files did not validate, so none were kept (a bug in the importer):\n"
                            + "\n".join(str(p) for p in exc.errors)) from None
        raise
    report = [f"note: {n}" for n in imported.notes]
    if imported.own:
        report.append(f"the policy is {imported.school_slug}'s own (applies_to: schools: [{imported.school_slug}]): "
                      "the trust's other schools do not get it; to make it a model for them, write its school's "
                      "names as placeholders (policyc import --placeholders does) and remove applies_to:")
    report += [f"added {_roles_words(added_roles)} to {display_path(p)}" if p.name == "trust.yaml" and p in before
               else f"{'added the policy to' if p in before else 'wrote'} {display_path(p)}" for p in written]
    report += [f"check: {c}" for c in imported.comments]  # also a '# Check:' comment in the school file
    report += [f"could not place: {u.line()}" for u in imported.unplaced]
    report += [f"placeholder offered (use --placeholders): {o}" for o in imported.offered]
    report += [f"left as written, though it may differ between schools (a value or a placeholder by hand): {x}"
               for x in imported.left]
    report += [f"warning: {w}" for w in warnings]
    report += [f"to fill in before the trust builds: {need}" for need in to_fill]
    report += _number_report(policies, imported) if policies else []
    return imported, report


def _other_schools(source: Path, slug_: str) -> bool:
    """Whether the trust has a school besides this one."""
    return any(p.stem != slug_ for p in (source / "schools").glob("*.yaml"))


def _own_policy(imported: Imported) -> None:
    """The imported policy for its school alone: applies_to: schools: [slug], written into its file."""
    rel = f"policies/{imported.policy_id}.yaml"
    lines = imported.files[rel].split("\n")
    at = next(i for i, line in enumerate(lines) if line.startswith(("ratification_layout:", "sections:")))
    lines.insert(at, f"applies_to: {{schools: [{imported.school_slug}]}}")
    imported.files[rel] = "\n".join(lines)
    imported.own = True


def _school_needs(errors, school_file: str) -> list[str]:
    """What a new school's file must still say for the trust's other policies to build for it
    (their role holders' names, its phase), one line each; [] if anything else is wrong.

    The document names nobody for those roles, so nothing is guessed: the import is kept and
    these are asked for."""
    needs: dict[str, str] = {}
    for problem in errors:
        if not problem.hint.endswith(school_file) or not re.search(
                r"needs the name of|gives no (?:phase|name)", problem.message):
            return []
        needs.setdefault(problem.hint, f"{problem.message.split(' (')[0]}: {problem.hint}")
    return list(needs.values())


def _missing_roles(trust_text: str, made_trust: str, school: dict) -> dict[str, str]:
    """Roles the imported school's file names that the existing trust has not got, each with
    the title the document gives it (as the trust file an import of it alone would write)."""
    try:
        trust = yaml.safe_load(trust_text) or {}
    except yaml.YAMLError:
        return {}  # the check that follows says what is wrong with it
    have = trust.get("roles") if isinstance(trust, dict) else None
    if not isinstance(have, dict):
        return {}
    titles = (yaml.safe_load(made_trust) or {}).get("roles") or {}
    return {key: titles[key] for key in school.get("roles") or {} if key not in have and key in titles}


def _roles_words(roles: dict[str, str]) -> str:
    named = [f"{key} ({title}, as the document names it)" for key, title in roles.items()]
    return f"the role{'s' if len(named) > 1 else ''} " + ", ".join(named)


def _number_report(policies, imported: Imported) -> list[str]:
    """Numbers the document had that the built policy will not have, and the other way round."""
    mine = [p for p in policies if p.policy_id == imported.policy_id and p.school_slug == imported.school_slug]
    built: set[str] = set()
    as_written = re.compile(r"^(\d{1,2}(?:\.\d{1,2})*)\\?\.?\s")  # a number kept in the words, as the document had it
    for policy in mine:
        built |= {p.number for p in policy.parts if p.number}
        built |= {b.number for p in policy.parts for b in walk_blocks(p.blocks) if b.number}
        texts = [p.title for p in policy.parts] + [t for p in policy.parts for b in walk_blocks(p.blocks)
                                                   for t in (b.body.title, b.body.text) if t]
        built |= {m.group(1) for t in texts for line in t.splitlines() if (m := as_written.match(line))}
    lost = sorted(imported.numbers - built)
    extra = sorted(built - imported.numbers)
    out = [f"numbered {n} in the document, but not in the built policy" for n in lost]
    out += [f"numbered {n} in the built policy, but not in the document" for n in extra]
    return out


def import_overlay(document: Path, source: Path, model_id: str, school_slug: Optional[str] = None
                   ) -> tuple[Imported, list[str]]:
    """A school's own copy of the trust's model policy `model_id`, written as that school's overlay.

    The school file is made (from what the document says) when there is none; an existing
    one gets the overlay added under `policies:`, the rest of it left as it was.
    """
    _slug_argument(school_slug)
    if not is_id(model_id):
        raise UsageError(f"--model {model_id!r}: a policy's id is {ID_RULE}")
    if not document.is_file():
        raise UsageError(f"{display_path(document)}: no such file")
    model_path = source / "policies" / f"{model_id}.yaml"
    if not model_path.is_file():
        raise UsageError(f"{display_path(model_path)}: no such model policy (--model names a policy in "
                        f"{display_path(source / 'policies')}, without .yaml)")
    notes: list[str] = []
    imported = assemble(read_document(document, notes), document.name, policy_id=model_id)
    slug_ = (school_slug or existing_school(source, imported.school_name)
             or (slug(imported.school_name, 6) if imported.school_name else None))
    if not slug_:
        raise UsageError(f"{display_path(document)}: the document does not name its school; give --school SLUG")
    school_path = within(source, f"schools/{slug_}.yaml")
    before = kept_text(school_path) if school_path.is_file() else None
    report: list[str] = [f"note: {n}" for n in notes]
    changes = Changes()
    try:
        if before is None:
            school = _new_school(imported, source)
            changes.write(school_path, dump(school, school_header(imported.comments)))
            report.append(f"wrote {display_path(school_path)}"
                          + ("" if imported.school_name else " (the document names no school: check its name)"))
        try:
            checked = check_all(source)
        except InvalidSource as exc:
            if before is not None:
                raise UserError("the sources have problems to put right before a school's copy can be compared "
                                "with the model:\n" + "\n".join(str(p) for p in exc.errors)) from None
            made = kept_text(school_path)
            raise _Incomplete(f"wrote {display_path(school_path)} for the school, but the model cannot be built "
                              "for it yet; complete the school file, then run the same import again:\n"
                              + "\n".join(str(p) for p in exc.errors), made) from None
        school_ = next(s for s in checked.project.schools if s.slug == slug_)
        if school_.overlay(model_id):
            raise UsageError(f"{display_path(school_path)} already tailors {model_id} (policies: {model_id}:); "
                            "policyc import never overwrites it: remove that entry first, or import for another school")
        resolved = next((p for p in checked.policies if p.policy_id == model_id and p.school_slug == slug_), None)
        if resolved is None:
            raise UsageError(f"{model_id} does not apply to {slug_} (see applies_to in {display_path(model_path)}), "
                            "so there is no model text to compare the document with")
        raw = yaml.safe_load(model_path.read_text(encoding="utf-8")) or {}
        result = compare(imported.policy, resolved, raw, Words(resolved))
        entry = {**result.overlay, "ratification": imported.overlay[model_id]["ratification"]}
        changes.write(school_path, add_school_policy(kept_text(school_path), {model_id: entry}))
        _, policies, warnings = check(source)
    except BaseException as exc:
        if isinstance(exc, _Incomplete):  # the new school file is kept, for its names to be filled in
            raise UserError(str(exc)) from None
        changes.take_back()  # the school file byte for byte as it was, or gone if this import made it
        if isinstance(exc, InvalidSource):
            raise UserError(f"the overlay made from {display_path(document)} did not validate, so nothing was "
                            "kept (something the document leaves out may be referred to by another policy):\n"
                            + "\n".join(str(p) for p in exc.errors)) from None
        raise
    imported.school_slug = slug_
    report.append(f"added the overlay on {model_id} to {display_path(school_path)}")
    report += result.report
    report += [f"could not place: {u.line()}" for u in imported.unplaced]
    report += [f"warning: {w}" for w in warnings]
    report += _number_report(policies, imported)
    return imported, report



def _make_source(source: Path) -> list[Path]:
    """The source folder (and any folder above it) an import into a new place makes first."""
    missing = []
    folder = source
    while not folder.exists():
        missing.append(folder)
        folder = folder.parent
    for made in reversed(missing):
        made.mkdir()
    return missing[::-1]


def _take_back(writes: list[Write], made: list[Path]) -> None:
    for w in reversed(writes):
        if w.replaces is None:
            w.path.unlink(missing_ok=True)
        else:
            w.path.write_bytes(w.replaces)
    _remove_empty(made)


def _remove_empty(folders: list[Path]) -> None:
    for folder in sorted(folders, key=lambda f: len(f.parts), reverse=True):
        try:
            folder.rmdir()  # only when empty: a folder that holds anything else stays
        except OSError:
            pass


class _Incomplete(UserError):
    """A school file made by the import that needs more (role holders' names) before the model builds for it."""

    def __init__(self, message: str, made: str) -> None:
        super().__init__(message)
        self.made = made


def _new_school(imported: Imported, source: Path) -> dict:
    """The school as the document gives it, leaving to the trust what the document words as the trust does."""
    school = {k: v for k, v in imported.school.items() if k != "policies"}
    try:
        trust = yaml.safe_load((source / "trust.yaml").read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError):
        return school  # the check that follows says what is wrong with it
    said = imported.text
    body = trust.get("approving_body")
    if isinstance(body, str) and re.search(rf"(?<!\w){re.escape(body)}(?!\w)", said):
        school.pop("approving_body", None)  # the trust's body, by the trust's name
    titles = trust.get("roles") if isinstance(trust.get("roles"), dict) else {}
    for key_, holder in list(school.get("roles", {}).items()):
        title = titles.get(key_)
        if isinstance(title, str) and title in said:
            holder.pop("title", None)  # the trust's title is the one the document uses
            if not holder:
                del school["roles"][key_]
    if not school.get("roles"):
        school.pop("roles", None)
    return school


# Which of two files of one document to read, best first: Word's own file keeps headings,
# numbering and tables as styles; a PDF keeps only how it looked.
PREFERRED = (".docx", ".odt", ".doc", ".rtf", ".md", ".txt", ".pdf")


@dataclass
class FolderResult:
    """What `policyc import FOLDER` did with each file it found."""
    imported: list[tuple[Path, Imported, list[str]]] = field(default_factory=list)
    refused: list[tuple[Path, str]] = field(default_factory=list)  # a document policyc could not import, and why
    skipped: list[tuple[Path, str]] = field(default_factory=list)  # a file it did not try, and why

    def needs_checking(self, report: list[str]) -> bool:
        return any(line.startswith(("check:", "could not place:", "numbered ", "warning:", "to fill in"))
                   for line in report)


def _set_aside(part: str) -> bool:
    """A hidden file or folder, or an editor's or sync tool's leftover (Word's ~$policy.docx,
    a backup policy.docx~): never a document."""
    return part.startswith(".") or bool(leftover(part))


def documents_in(folder: Path) -> tuple[list[Path], list[tuple[Path, str]]]:
    """The documents to import from `folder` and its sub-folders, in order, and the files set aside.

    Of two or more files of one document (Behaviour Policy.docx and Behaviour Policy.pdf in one
    folder), the one of the most faithful kind is read (PREFERRED)."""
    chosen: dict[tuple[Path, str], Path] = {}
    skipped: list[tuple[Path, str]] = []
    for path in sorted(folder.rglob("*")):
        rel = path.relative_to(folder)
        if any(_set_aside(part) for part in rel.parts) or not path.is_file():
            continue
        suffix = path.suffix.lower()
        if suffix not in SUFFIXES:
            skipped.append((path, f"not a kind of file policyc imports ({', '.join(SUFFIXES)})"))
            continue
        same = (path.parent, path.stem.casefold())
        held = chosen.get(same)
        if held is None:
            chosen[same] = path
            continue
        keep, drop = sorted((held, path), key=lambda p: PREFERRED.index(p.suffix.lower()))
        chosen[same] = keep
        skipped.append((drop, f"the same document as {keep.name}, which was read instead"))
    return sorted(chosen.values()), sorted(skipped)


def import_folder(folder: Path, source: Path, placeholders: bool = False,
                  school_slug: Optional[str] = None) -> FolderResult:
    """Every document in `folder`, one at a time, as `policyc import FILE` would: each is checked
    with the trust as it stands when it comes in, and one that cannot be imported is reported
    and leaves nothing behind, while the others go on."""
    _slug_argument(school_slug)
    result = FolderResult()
    found, result.skipped = documents_in(folder)
    if not found:
        raise UsageError(f"{display_path(folder)}: no document to import in it or its folders "
                         f"({', '.join(SUFFIXES)} files)")
    read: list[tuple[Path, Imported]] = []
    for document in found:
        try:
            read.append((document, read_import(document, placeholders)))
        except UserError as exc:
            result.refused.append((document, str(exc)))
    # A document that names no school belongs to the one school the others name, if they name
    # only one (a school's folder of its policies); so those that name one come in first.
    names = {_name_key(i.school_name): i.school_name for _, i in read if i.school_name}
    only = next(iter(names.values())) if len(names) == 1 and not school_slug else None
    for document, imported in sorted(read, key=lambda r: not r[1].school_name):
        adopted = only is not None and not imported.school_name  # goes to the folder's one school
        if adopted:
            imported.comments[:] = [c for c in imported.comments if not c.startswith(NO_SCHOOL_NAME)]
        try:
            imported, report = import_document(
                document, source, placeholders, imported=imported, also_others=len(names) > 1,
                school_slug=existing_school(source, only) if adopted else school_slug)
        except UserError as exc:
            result.refused.append((document, str(exc)))
            continue
        if adopted:
            report.insert(0, f"the document names no school: imported for {only}, the only school the "
                             "folder's documents name")
        result.imported.append((document, imported, report))
    result.imported.sort(key=lambda r: r[0])
    result.refused.sort()
    return result
