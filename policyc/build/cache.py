"""The document cache: rendered bytes kept by output key, inside the output folder.

Where: `output/.policyc-cache/`, so policyc writes nowhere but its output folder. It is in
no school's folder, so no school's uploadable bundle carries it. A build renders into a
staging folder; `carry` hard-links the previous cache's entries into it (no bytes are
copied, the previous output is not touched), new entries are added there, and the swap
that publishes the output publishes the cache with it. A failed build leaves the
previous output, cache included, exactly as it was.

Each entry is named by its key and the SHA-256 of its bytes; it is written under a
temporary name and renamed into place, and its bytes are checked against that hash
before every reuse, so an entry cut short by a killed build, a full disk or a hand edit
is never reused. Deleting the folder is always safe: the next build renders everything again.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import time
from pathlib import Path
from typing import Optional

CACHE_NAME = ".policyc-cache"
KEYS_NAME = "keys.json"  # the last build's keys, by output path, with the fingerprint of their inputs
_STALE_TEMP = 3600  # seconds after which a temporary file can only be a killed build's


def cache_folder(output: Path) -> Path:
    """The cache of an output folder: `.policyc-cache` inside it."""
    return output / CACHE_NAME


def carry(previous_output: Path, staging: Path) -> None:
    """Hard-link every sound-looking entry of the previous output's cache into the staging
    folder's (a partial build's staging folder already holds a copy)."""
    source, target = cache_folder(previous_output), cache_folder(staging)
    if not source.is_dir() or source.is_symlink() or target.exists():
        return
    for shard in source.iterdir():
        if not (shard.is_dir() and not shard.is_symlink() and len(shard.name) == 2):
            continue
        (target / shard.name).mkdir(parents=True, exist_ok=True)
        for entry in shard.iterdir():
            if entry.name.startswith(".tmp-") or not entry.is_file() or entry.is_symlink():
                continue
            try:
                os.link(entry, target / shard.name / entry.name)
            except OSError:
                shutil.copy2(entry, target / shard.name / entry.name)


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

    def save_keys(self, fingerprint: str, keys: dict[str, str]) -> None:
        """Keep this build's keys for the next one (written whole, then renamed into place)."""
        self.folder.mkdir(parents=True, exist_ok=True)
        temp = self.folder / f".tmp-{KEYS_NAME}-{os.getpid()}"
        temp.write_text(json.dumps({"fingerprint": fingerprint, "keys": keys}), encoding="utf-8")
        os.replace(temp, self.folder / KEYS_NAME)

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


def previous_keys(previous_output: Path, fingerprint: str) -> dict[str, str]:
    """The keys the last build into `previous_output` computed, if they were computed from the
    same inputs (`fingerprint`); otherwise, or if the file is damaged in any way, none."""
    try:
        saved = json.loads((cache_folder(previous_output) / KEYS_NAME).read_text(encoding="utf-8"))
        keys = saved["keys"] if saved.get("fingerprint") == fingerprint else {}
        if isinstance(keys, dict) and all(isinstance(k, str) and isinstance(v, str) for k, v in keys.items()):
            return keys
    except (OSError, ValueError, TypeError, KeyError, AttributeError):
        pass
    return {}


def open_cache(previous_output: Path, staging: Path, enabled: bool) -> Optional[DocumentCache]:
    """The cache a build in `staging` reads and writes, holding the previous output's entries."""
    carry(previous_output, staging)  # kept even by --no-cache, which only neither reads nor adds to it
    return DocumentCache(cache_folder(staging)) if enabled else None
