"""`policyc import FILE`: an existing policy document added to a trust's sources, checked at once."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Optional

import yaml

from policyc.compile.resolve import walk_blocks
from policyc.errors import InvalidSource, UsageError, UserError, display_path
from policyc.importers.assemble import Imported, assemble, school_header
from policyc.importers.ids import slug
from policyc.importers.overlay import compare
from policyc.render.present import Words
from policyc.importers.read import read_document
from policyc.importers.yamlout import add_school_policy, dump
from policyc.names import SLUG_RULE, is_slug, leftover
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


def import_document(document: Path, source: Path, placeholders: bool = False,
                    policy_id: str | None = None, school_slug: Optional[str] = None
                    ) -> tuple[Imported, list[str]]:
    """Write the trust (if new), the policy and its school into `source`; return what was done and a report.

    The school is `school_slug` when given, else the trust's school of the name the document
    gives, else a new school file; an existing school file gets the policy added under policies:."""
    _slug_argument(school_slug)
    if not document.is_file():
        raise UsageError(f"{display_path(document)}: no such file")
    imported = assemble(read_document(document), document.name, placeholders, policy_id)
    matched = school_slug or existing_school(source, imported.school_name)
    if matched and matched != imported.school_slug:
        made = imported.files.pop(f"schools/{imported.school_slug}.yaml")
        imported.files[f"schools/{matched}.yaml"] = made
        imported.school_slug = matched
    plan: dict[Path, str] = {}
    before: dict[Path, str] = {}  # files that were there already, as they were
    for rel, text in imported.files.items():
        path = source / rel
        if rel == "trust.yaml" and path.exists():
            continue  # an existing trust keeps its own settings
        if rel.startswith("schools/") and path.is_file():
            before[path] = path.read_text(encoding="utf-8")
            plan[path] = add_school_policy(before[path], imported.overlay)
            continue
        if path.exists():
            raise UsageError(f"{display_path(path)} already exists; policyc import never overwrites a file "
                            "(give another id with --id, or move the file)")
        plan[path] = text
    written = []
    try:
        for path, text in plan.items():
            path.parent.mkdir(parents=True, exist_ok=True)
            with open(path, "w" if path in before else "x", encoding="utf-8") as f:
                f.write(text)
            written.append(path)
        _, policies, warnings = check(source)
    except BaseException as exc:
        for path in written:  # only what this import made or changed, put back as it was
            if path in before:
                path.write_text(before[path], encoding="utf-8")
            else:
                path.unlink()
        if isinstance(exc, InvalidSource):
            raise UserError("the imported files did not validate, so none were kept (a bug in the importer):\n"
                            + "\n".join(str(p) for p in exc.errors)) from None
        raise
    report = [f"{'added the policy to' if p in before else 'wrote'} {display_path(p)}" for p in written]
    report += [f"check: {c}" for c in imported.comments]  # also a '# Check:' comment in the school file
    report += [f"could not place: {u.line()}" for u in imported.unplaced]
    report += [f"placeholder offered (use --placeholders): {o}" for o in imported.offered]
    report += [f"warning: {w}" for w in warnings]
    report += _number_report(policies, imported)
    return imported, report


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
    if not document.is_file():
        raise UsageError(f"{display_path(document)}: no such file")
    model_path = source / "policies" / f"{model_id}.yaml"
    if not model_path.is_file():
        raise UsageError(f"{display_path(model_path)}: no such model policy (--model names a policy in "
                        f"{display_path(source / 'policies')}, without .yaml)")
    imported = assemble(read_document(document), document.name, policy_id=model_id)
    slug_ = (school_slug or existing_school(source, imported.school_name)
             or (slug(imported.school_name, 6) if imported.school_name else None))
    if not slug_:
        raise UsageError(f"{display_path(document)}: the document does not name its school; give --school SLUG")
    school_path = source / "schools" / f"{slug_}.yaml"
    before = school_path.read_text(encoding="utf-8") if school_path.is_file() else None
    report: list[str] = []
    try:
        if before is None:
            school = _new_school(imported, source)
            school_path.parent.mkdir(parents=True, exist_ok=True)
            school_path.write_text(dump(school, school_header(imported.comments)), encoding="utf-8")
            report.append(f"wrote {display_path(school_path)}"
                          + ("" if imported.school_name else " (the document names no school: check its name)"))
        try:
            checked = check_all(source)
        except InvalidSource as exc:
            if before is not None:
                raise UserError("the sources have problems to put right before a school's copy can be compared "
                                "with the model:\n" + "\n".join(str(p) for p in exc.errors)) from None
            made = school_path.read_text(encoding="utf-8")
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
        school_path.write_text(add_school_policy(school_path.read_text(encoding="utf-8"), {model_id: entry}),
                               encoding="utf-8")
        _, policies, warnings = check(source)
    except BaseException as exc:
        if isinstance(exc, _Incomplete):  # the new school file is kept, for its names to be filled in
            school_path.write_text(exc.made, encoding="utf-8")
            raise UserError(str(exc)) from None
        if before is None:
            school_path.unlink(missing_ok=True)
        else:
            school_path.write_text(before, encoding="utf-8")
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
