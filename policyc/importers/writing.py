"""The files an import writes: each path checked to stay in the source folder before anything is
made, a school file edited in its own line endings, and all of it taken back when the import fails.

Why bytes: Python's text mode turns CRLF into LF on reading, so a school file kept in
Windows line endings came back from a refused import changed in every line.
"""

from __future__ import annotations

from pathlib import Path
from typing import Optional

from policyc.errors import UserError, display_path
from policyc.names import PathEscape, inside


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
