"""The files an import writes: which school they go to, each path checked to stay in the source
folder before anything is made, a school file edited in its own line endings, the files published
all or none, and all of it taken back when the import fails.

Why bytes: Python's text mode turns CRLF into LF on reading, so a school file kept in
Windows line endings came back from a refused import changed in every line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

import yaml

from policyc.errors import UsageError, UserError, display_path
from policyc.importers.assemble import Imported
from policyc.importers.yamlout import add_entries, add_school_policy
from policyc.names import SLUG_RULE, PathEscape, inside, is_slug, leftover
from policyc.source.journal import Write, publish


def within(source: Path, relative: str) -> Path:
    """`source/relative`, refused before anything is written if the words it was made of climb out."""
    try:
        inside(source, relative)
    except PathEscape:
        raise UserError(f"refused to write {relative!r}: it would be outside {display_path(source)} "
                        "(a name taken from the document, a school file or the command line); nothing was written") from None
    return source / relative


def kept_text(path: Path) -> str:
    """A file's text exactly as it is, line endings included."""
    try:
        return path.read_bytes().decode("utf-8")
    except UnicodeDecodeError as exc:
        raise UserError(f"{display_path(path)}: not UTF-8 (byte {exc.start}); policyc import edits only "
                        "UTF-8 files, so nothing was written") from None


class Changes:
    """What one import has written so far, to be taken back exactly if it fails."""

    def __init__(self) -> None:
        self.before: dict[Path, Optional[bytes]] = {}  # None: the import made the file
        self.folders: list[Path] = []

    def write(self, path: Path, text: str) -> None:
        """Write `text` as it is (no line endings changed); a file not seen before must be new."""
        if path not in self.before:
            existing = path.read_bytes() if path.is_file() else None
            self._make_folders(path.parent)
            if existing is None:
                open(path, "x").close()  # never overwrites what is there
            self.before[path] = existing
        with open(path, "w", encoding="utf-8", newline="") as f:
            f.write(text)

    def keep(self, path: Path) -> None:
        """Leave `path` as this import wrote it, whatever happens to the rest."""
        self.before.pop(path, None)

    def take_back(self) -> None:
        for path, old in reversed(list(self.before.items())):
            if old is None:
                path.unlink(missing_ok=True)
            elif not path.is_file() or path.read_bytes() != old:
                path.write_bytes(old)
        for folder in reversed(self.folders):
            try:
                folder.rmdir()  # only when empty: a folder that holds anything else stays
            except OSError:
                pass
        self.before.clear()
        self.folders.clear()

    def _make_folders(self, folder: Path) -> None:
        missing = []
        while not folder.exists():
            missing.append(folder)
            folder = folder.parent
        for made in reversed(missing):
            made.mkdir()
            self.folders.append(made)


def check_school_option(school_slug: Optional[str]) -> None:
    """--school SLUG by the grammar the checker holds every school's file name to."""
    if school_slug is not None and not is_slug(school_slug):
        raise UsageError(f"--school {school_slug!r}: a school's slug is {SLUG_RULE}")


def name_key(name: str) -> str:
    """A school's name as two spellings of it compare: "The Oak & Ash School" is "oak and ash school"."""
    words = re.sub(r"[^a-z0-9 ]+", " ", name.lower().replace("&", " and ")).split()
    return " ".join(w for w in words if w != "the")


def existing_school(source: Path, name: Optional[str]) -> Optional[str]:
    """The slug of the trust's school that the document's name is (its name: or short_name:), if one is.

    "Moorside Primary School" is schools/moorside-primary.yaml when that file says
    name: Moorside Primary School; a name no school has is None (a new school)."""
    if not name or not (source / "schools").is_dir():
        return None
    wanted = name_key(name)
    found = []
    for path in sorted((source / "schools").glob("*.yaml")):
        if leftover(path.name):  # an editor's, such as macOS's ._school.yaml, which is not even text
            continue
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        except (OSError, ValueError, yaml.YAMLError):  # ValueError: not UTF-8
            continue
        names = [data.get(k) for k in ("name", "short_name") if isinstance(data, dict)]
        if any(isinstance(n, str) and name_key(n) == wanted for n in names):
            found.append(str(data.get("slug") or path.stem))
    return found[0] if len(found) == 1 else None


def choose_school(imported: Imported, source: Path, school_slug: Optional[str], placeholders: bool,
                  also_others: bool) -> None:
    """The school the import goes to: `school_slug` when given, else the trust's school of the
    name the document gives, else a new school file. In a trust with other schools (or
    `also_others`: a folder bringing several) the policy is the school's own, for it alone
    (applies_to: schools:), never given to the other schools with this school's words; with
    placeholders it is made a model for them all."""
    matched = school_slug or existing_school(source, imported.school_name)
    if matched and matched != imported.school_slug:
        made = imported.files.pop(f"schools/{imported.school_slug}.yaml")
        imported.files[f"schools/{matched}.yaml"] = made
        imported.school_slug = matched
    if (also_others or _other_schools(source, imported.school_slug)) and not placeholders:
        _own_policy(imported)


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


@dataclass
class Written:
    """What write_import wrote, and how to take it back."""

    writes: list[Write]
    made: list[Path]  # the folders it made
    before: dict[Path, str]  # files that were there already, as they were
    added_roles: dict[str, str]  # roles added to an existing trust.yaml, each with its title

    @property
    def paths(self) -> list[Path]:
        return [w.path for w in self.writes]

    def take_back(self) -> None:
        """Only what this import made or changed, put back byte for byte."""
        for w in reversed(self.writes):
            if w.replaces is None:
                w.path.unlink(missing_ok=True)
            else:
                w.path.write_bytes(w.replaces)
        _remove_empty(self.made)


def write_import(document: Path, source: Path, imported: Imported) -> Written:
    """Write the trust (if new), the policy and its school into `source`, all or none even if
    the import is killed (source/journal.py); an existing school file gets the policy added
    under policies:, and nothing else is ever overwritten."""
    plan: dict[Path, str] = {}
    before: dict[Path, str] = {}
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
    writes = [Write(path, text.encode("utf-8"), path.read_bytes() if path in before else None)
              for path, text in plan.items()]
    made = _make_source(source)
    try:  # all the files or none, even if the import is killed (source/journal.py)
        made += publish(source, writes, f"import of {display_path(document)}")
    except BaseException:
        _remove_empty(made)
        raise
    return Written(writes, made, before, added_roles)


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


def _remove_empty(folders: list[Path]) -> None:
    for folder in sorted(folders, key=lambda f: len(f.parts), reverse=True):
        try:
            folder.rmdir()  # only when empty: a folder that holds anything else stays
        except OSError:
            pass


def new_school(imported: Imported, source: Path) -> dict:
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
