"""The document cache: rendered bytes kept by output key, beside the output folder.

Why beside and not inside: the output folder is what a school publishes, and the cache
must survive the staging swap that replaces it. Each entry is named by its key and the
SHA-256 of its bytes; it is written under a temporary name and renamed into place, and
its bytes are checked against that hash before every reuse, so an entry cut short by a
killed build, a full disk or a hand edit is never reused. Deleting the folder is always
safe: the next build renders everything again.
"""

from __future__ import annotations

import hashlib
import os
import time
from pathlib import Path
from typing import Optional

CACHE_NAME = ".policyc-cache"
_STALE_TEMP = 3600  # seconds after which a temporary file can only be a killed build's


def cache_folder(output: Path) -> Path:
    """The cache for an output folder: `.policyc-cache` in the folder that holds it."""
    return output.resolve().parent / CACHE_NAME


class DocumentCache:
    """Rendered documents by key. Entries are `<key[:2]>/<key>.<sha256 of bytes>`."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._entries: dict[str, Path] = {}
        if folder.is_dir():
            for shard in folder.iterdir():
                if shard.is_dir() and len(shard.name) == 2:
                    self._index(shard)

    def _index(self, shard: Path) -> None:
        for entry in shard.iterdir():
            key, dot, _ = entry.name.partition(".")
            if entry.name.startswith(".tmp-"):
                if time.time() - entry.stat().st_mtime > _STALE_TEMP:
                    entry.unlink(missing_ok=True)
            elif dot and key.startswith(shard.name):
                self._entries[key] = entry

    def place(self, key: str, target: Path) -> bool:
        """Put the cached bytes for `key` at `target`; False when there is no sound entry."""
        entry = self._entries.get(key)
        if entry is None:
            return False
        try:
            data = entry.read_bytes()
        except OSError:
            return False
        if hashlib.sha256(data).hexdigest() != entry.name.partition(".")[2]:
            entry.unlink(missing_ok=True)  # damaged: render again and store afresh
            del self._entries[key]
            return False
        target.parent.mkdir(parents=True, exist_ok=True)
        target.unlink(missing_ok=True)
        try:
            os.link(entry, target)  # the same bytes on disk once; the check above read them
        except OSError:
            target.write_bytes(data)
        return True

    def store(self, key: str, rendered: Path) -> None:
        """Keep the bytes just written at `rendered` under `key`."""
        data = rendered.read_bytes()
        shard = self.folder / key[:2]
        shard.mkdir(parents=True, exist_ok=True)
        entry = shard / f"{key}.{hashlib.sha256(data).hexdigest()}"
        temp = shard / f".tmp-{key}-{os.getpid()}"
        temp.unlink(missing_ok=True)
        try:
            os.link(rendered, temp)
        except OSError:
            temp.write_bytes(data)
        os.replace(temp, entry)  # atomic: the entry is whole or absent
        old = self._entries.get(key)
        if old is not None and old != entry:
            old.unlink(missing_ok=True)
        self._entries[key] = entry


def open_cache(output: Path, enabled: bool) -> Optional[DocumentCache]:
    return DocumentCache(cache_folder(output)) if enabled else None
