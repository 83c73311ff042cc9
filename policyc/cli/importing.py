"""`policyc import FILE|FOLDER`: an existing policy document added to a trust's sources and checked
at once by the pipeline (the files taken back if they do not validate), and the report of it.

The reading and the writing are the importers' (importers/read.py, writing.py, overlay.py); what
needs the checked sources, and every line of the report, is here."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional

import yaml

from policyc.cli.common import arg, is_default_source, recover
from policyc.cli.parser import EXIT_INVALID, EXIT_OK
from policyc.model import walk_blocks
from policyc.errors import InvalidSource, UsageError, UserError, display_path
from policyc.importers.assemble import NO_SCHOOL_NAME, Imported, school_header
from policyc.importers.blocks import Unplaced
from policyc.importers.decode import Note, ReadAsWindows1252
from policyc.importers.overlay import Finding, compare
from policyc.importers.read import (
    suffixes,
    SetAside,
    documents_in,
    read_copy,
    read_import,
)
from policyc.importers.writing import (
    Changes,
    check_school_option,
    choose_school,
    existing_school,
    kept_text,
    name_key,
    new_school,
    within,
    write_import,
)
from policyc.importers.yamlout import add_school_policy, dump
from policyc.pipeline import check, check_all
from policyc.render.present import Words


def import_command(args) -> int:
    if args.source.is_dir():
        recover(args.source)
    if args.document.is_dir():
        return _import_folder(args)
    if args.model:
        if args.placeholders or args.policy_id:
            raise UsageError("--model writes a school's overlay on an existing policy: "
                             "--placeholders and --id are for a new model")
        imported, report = import_overlay(args.document, args.source, args.model, args.school)
    else:
        imported, report = import_document(args.document, args.source, args.placeholders, args.policy_id,
                                           args.school)
    for line in report:
        print(line)
    source = "" if is_default_source(args.source) else f" --source {arg(args.source)}"
    print(f"Imported {imported.policy_id} for {imported.school_slug}. Next: "
          f"policyc validate{source}, then policyc build{source} --school {imported.school_slug}")
    return EXIT_OK


def _import_folder(args) -> int:
    """`policyc import FOLDER`: every document in it, with one report; exit 1 if any was refused."""
    if args.model or args.policy_id:
        raise UsageError(f"{arg(args.document)} is a folder: --model and --id name one document's policy, so "
                         "import that document by itself")
    result = import_folder(args.document, args.source, args.placeholders, args.school)
    checking = 0
    for document, imported, report in result.imported:
        print(f"{display_path(document)}: imported as {imported.policy_id} for {imported.school_slug}")
        for line in report:
            print(f"  {line}")
        checking += result.needs_checking(report)
    for document, why in result.refused:
        named = f"{display_path(document)}: "
        print(f"{named}not imported: {why[len(named):] if why.startswith(named) else why}")
        if "already exists" in why:
            print(f"  if it is a school's own copy of that policy: policyc import {arg(document)} --model ID "
                  "--school SLUG")
    for skipped in result.skipped:
        print(f"{display_path(skipped.path)}: skipped: {_set_aside_words(skipped)}")
    total = len(result.imported) + len(result.refused)
    words = [f"Imported {len(result.imported)} of {total} document{'s' if total != 1 else ''}"]
    if checking:
        words.append(f"{checking} with lines marked check: to read")
    if result.refused:
        words.append(f"{len(result.refused)} not imported")
    if result.skipped:
        words.append(f"{len(result.skipped)} file{'s' if len(result.skipped) != 1 else ''} skipped")
    source = "" if is_default_source(args.source) else f" --source {arg(args.source)}"
    print("; ".join(words) + "." + (f" Next: policyc validate{source}, then policyc build{source}"
                                   if result.imported else ""))
    return EXIT_INVALID if result.refused else EXIT_OK


def import_document(document: Path, source: Path, placeholders: bool = False,
                    policy_id: str | None = None, school_slug: Optional[str] = None,
                    imported: Optional[Imported] = None, also_others: bool = False) -> tuple[Imported, list[str]]:
    """Write the trust (if new), the policy and its school into `source` and check them; return
    what was done and a report. Files that do not validate are taken back.

    The school is chosen by importers/writing.choose_school; `imported`: the document as
    read_import has already read it; `also_others`: a folder bringing several schools."""
    check_school_option(school_slug)
    imported = imported or read_import(document, placeholders, policy_id)
    choose_school(imported, source, school_slug, placeholders, also_others)
    written = write_import(document, source, imported)
    before = written.before
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
        written.take_back()  # only what this import made or changed, put back byte for byte
        if isinstance(exc, InvalidSource):
            raise UserError("the imported files did not validate, so none were kept (a bug in the importer):\n"
                            + "\n".join(str(p) for p in exc.errors)) from None
        raise
    report = [f"note: {_note_words(n)}" for n in imported.notes]
    if imported.own:
        report.append(f"the policy is {imported.school_slug}'s own (applies_to: schools: [{imported.school_slug}]): "
                      "the trust's other schools do not get it; to make it a model for them, write its school's "
                      "names as placeholders (policyc import --placeholders does) and remove applies_to:")
    report += [f"added {_roles_words(written.added_roles)} to {display_path(p)}"
               if p.name == "trust.yaml" and p in before
               else f"{'added the policy to' if p in before else 'wrote'} {display_path(p)}" for p in written.paths]
    report += [f"check: {c}" for c in imported.comments]  # also a '# Check:' comment in the school file
    report += [f"could not place: {_unplaced_words(u)}" for u in imported.unplaced]
    report += [f"placeholder offered (use --placeholders): '{o.words}' ({o.count} times) could be {o.placeholder}"
               for o in imported.offered]
    report += [f"left as written, though it may differ between schools (a value or a placeholder by hand): "
               f"'{x.text}' ({x.kind}, in {x.where})" for x in imported.left]
    report += [f"warning: {w}" for w in warnings]
    report += [f"to fill in before the trust builds: {need}" for need in to_fill]
    report += _number_report(policies, imported) if policies else []
    return imported, report


def _note_words(note: Note) -> str:
    """What reading did to a file's text (importers/decode.py), for the report."""
    if isinstance(note, ReadAsWindows1252):
        return (f"the file is not UTF-8 (the first byte that is not is at line {note.line}, column {note.column}); "
                f"it was read as Windows-1252: check its accents and quotation marks")
    what = ", ".join(f"{name} × {count}" for name, count in note.counts)
    return (f"took out {note.total} control character(s), not words of a policy ({what}), "
            f"first at line(s) {', '.join(map(str, note.lines))}")


def _unplaced_words(unplaced: Unplaced) -> str:
    return f"{unplaced.where}: {unplaced.why}: {unplaced.text[:80]!r}"


def _set_aside_words(skipped: SetAside) -> str:
    if skipped.instead is not None:
        return f"the same document as {skipped.instead.name}, which was read instead"
    return f"not a kind of file policyc imports ({', '.join(suffixes())})"


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
    one gets the overlay added under `policies:`, the rest of it left as it was. The model is
    built for the school by the pipeline to compare the copy with, and the files are checked.
    """
    imported, notes, slug_ = read_copy(document, source, model_id, school_slug)
    model_path = source / "policies" / f"{model_id}.yaml"
    school_path = within(source, f"schools/{slug_}.yaml")
    before = kept_text(school_path) if school_path.is_file() else None
    report: list[str] = [f"note: {_note_words(n)}" for n in notes]
    changes = Changes()
    try:
        if before is None:
            school = new_school(imported, source)
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
    report += [_finding_words(f) for f in result.findings]
    report += [f"could not place: {_unplaced_words(u)}" for u in imported.unplaced]
    report += [f"warning: {w}" for w in warnings]
    report += _number_report(policies, imported)
    return imported, report


PAGE_PARTS = {"contents": "the contents list", "ratification": "the ratification block"}


def _finding_words(f: Finding) -> str:
    """A line of the report of `import --model`, for one thing importers/overlay.compare did or was unsure of."""
    if f.kind == "contents-heading":
        return (f"left out the heading {f.title!r} with nothing under it: "
                "the same title heads a section further on (a contents list?)")
    if f.kind == "page-part":
        return f"left out {f.title!r}: {PAGE_PARTS[f.part]}, which the build makes itself"
    if f.kind == "retitled":
        return f"section {f.id!r} is titled {f.title!r} in the document (kept the model's title)"
    if f.kind == "kept-for-children":
        return f"clause {f.id!r} is not in the document, but some of its sub-clauses are: kept it (check it)"
    if f.kind == "weak-match":
        return (f"clause {f.id!r} matched a paragraph of the document only "
                f"{f.ratio:.0%} alike: written as a replacement (check it)")
    if f.kind == "refers-to-gone":
        return (f"clause {f.id!r} refers to {', '.join(f.refers_to)}, which the document "
                "leaves out: written with the document's words (the reference as printed)")
    if f.kind == "added":
        return f"added {f.id!r}, which the model does not have ({', '.join(f'{k}: {v}' for k, v in f.placed)})"
    if f.kind == "removed":
        return f"removed {f.id!r}, which the document does not have"
    if f.kind == "replaced":
        return f"replaced {f.id!r}: the document words it differently"
    raise ValueError(f"no words for the overlay finding {f.kind!r}")


class _Incomplete(UserError):
    """A school file made by the import that needs more (role holders' names) before the model builds for it."""

    def __init__(self, message: str, made: str) -> None:
        super().__init__(message)
        self.made = made


@dataclass
class FolderResult:
    """What `policyc import FOLDER` did with each file it found."""
    imported: list[tuple[Path, Imported, list[str]]] = field(default_factory=list)
    refused: list[tuple[Path, str]] = field(default_factory=list)  # a document policyc could not import, and why
    skipped: list[SetAside] = field(default_factory=list)  # a file it did not try, and why

    def needs_checking(self, report: list[str]) -> bool:
        return any(line.startswith(("check:", "could not place:", "numbered ", "warning:", "to fill in"))
                   for line in report)


def import_folder(folder: Path, source: Path, placeholders: bool = False,
                  school_slug: Optional[str] = None) -> FolderResult:
    """Every document in `folder`, one at a time, as `policyc import FILE` would: each is checked
    with the trust as it stands when it comes in, and one that cannot be imported is reported
    and leaves nothing behind, while the others go on."""
    check_school_option(school_slug)
    result = FolderResult()
    found, result.skipped = documents_in(folder)
    if not found:
        raise UsageError(f"{display_path(folder)}: no document to import in it or its folders "
                         f"({', '.join(suffixes())} files)")
    read: list[tuple[Path, Imported]] = []
    for document in found:
        try:
            read.append((document, read_import(document, placeholders)))
        except UserError as exc:
            result.refused.append((document, str(exc)))
    # A document that names no school belongs to the one school the others name, if they name
    # only one (a school's folder of its policies); so those that name one come in first.
    names = {name_key(i.school_name): i.school_name for _, i in read if i.school_name}
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
