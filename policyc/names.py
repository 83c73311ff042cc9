"""One grammar for every name that becomes part of a path: school slugs, ids, versions.

Why: a version, slug or id ends up in a file name (snapshots, archive pages, redlines).
Each is checked here, with `fullmatch` (a `$` would accept a trailing newline), wherever
it enters: the command line, overlays, snapshots. `inside` then checks every path the
compiler writes against its root, so a name that slipped through still cannot climb out.
"""

from __future__ import annotations

import re
from pathlib import Path

SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
ID = re.compile(r"[a-z][a-z0-9]*(?:[-_][a-z0-9]+)*")
VERSION = re.compile(r"[0-9A-Za-z]+(?:[.\-][0-9A-Za-z]+)*")
MAX_NAME = 60
MAX_VERSION = 20

SLUG_RULE = "lower-case letters, digits and single hyphens, such as oakfield-primary"
ID_RULE = "lower-case letters, digits and single hyphens or underscores, starting with a letter"
VERSION_RULE = "letters and digits separated by single dots or hyphens, such as 2.1 or 2024-1"


def is_slug(text: object) -> bool:
    return isinstance(text, str) and len(text) <= MAX_NAME and SLUG.fullmatch(text) is not None


def is_id(text: object) -> bool:
    return isinstance(text, str) and len(text) <= MAX_NAME and ID.fullmatch(text) is not None


def is_version(text: object) -> bool:
    return isinstance(text, str) and len(text) <= MAX_VERSION and VERSION.fullmatch(text) is not None


def version_problem(text: str) -> str:
    """Why `text` cannot be a version label, in plain words; empty if it can."""
    if is_version(text):
        return ""
    if len(text) > MAX_VERSION:
        return f"a version label is at most {MAX_VERSION} characters"
    return f"{text!r} cannot be a version label: use {VERSION_RULE}"


class PathEscape(Exception):
    """A path computed by the compiler would leave its root: a bug, never written."""


def inside(root: Path, *parts: str) -> Path:
    """`root/parts...`, refused unless it stays inside `root` (symlinks resolved)."""
    base = Path(root).resolve()
    target = base.joinpath(*parts).resolve()
    if target != base and base not in target.parents:
        raise PathEscape(f"refused to write {target}: it is outside {base}")
    return target


# Files that editors and file managers leave beside the one being edited, by the names they
# give them: never an author's source, so a folder holding one still builds.
_LEFTOVERS = (
    (re.compile(r"\.#.+"), "an Emacs lock file"),
    (re.compile(r"#.+#"), "an Emacs auto-save file"),
    (re.compile(r"\._.+"), "a file macOS writes beside each file copied to a shared or USB drive"),
    (re.compile(r"\..+\.sw[a-p]"), "a Vim (or nano) swap file"),
    (re.compile(r"4913"), "a file Vim writes for a moment to test the folder"),
    (re.compile(r".+~"), "an editor's backup copy"),
    (re.compile(r"~\$.+"), "an Office lock file"),
    (re.compile(r".+\.(?:tmp|bak|orig|kate-swp)", re.I), "an editor's temporary or backup copy"),
    (re.compile(r".+___jb_(?:tmp|old)___"), "a JetBrains editor's temporary copy"),
    (re.compile(r"\.goutputstream-.+"), "a temporary file GNOME's editors write while saving"),
)


def leftover(name: str) -> str:
    """What kind of editor's leftover a file named `name` is, or "" for any other file."""
    return next((kind for pattern, kind in _LEFTOVERS if pattern.fullmatch(name)), "")
