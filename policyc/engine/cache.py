"""The document cache: rendered bytes kept by output key, inside the output folder.

Where: `output/.policyc-cache/`, so policyc writes nowhere but its output folder. It is in
no school's folder, so no school's uploadable bundle carries it. A build renders into a
staging folder; `carry` hard-links the previous cache's entries into it (no bytes are
copied, the previous output is not touched), new entries are added there, and the swap
that publishes the output publishes the cache with it. A failed build leaves the
previous output, cache included, exactly as it was.

Each entry is named by its key and a seal: an HMAC, under a random secret kept in the
cache (`seal`), of the key and the SHA-256 of its bytes. It is written under a temporary
name and renamed into place, and its bytes and name are checked against the seal before
every reuse, so an entry cut short by a killed build or a full disk, replaced by other
bytes (even renamed by their own hash), or moved to another key is never reused. The
last build's keys (`keys.json`) are sealed the same way, so keys swapped between two
documents by a sync tool or a hand edit are not trusted: every key is worked out again.
Deleting the folder is always safe: the next build renders everything again.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import secrets
import shutil
import time
from pathlib import Path
from typing import Optional

CACHE_NAME = ".policyc-cache"
KEYS_NAME = "keys.json"  # the last build's keys, by output path, with the fingerprint of their inputs
SECRET_NAME = "seal"  # 32 random bytes, made once per output folder, carried from build to build
_STALE_TEMP = 3600  # seconds after which a temporary file can only be a killed build's


def _secret(folder: Path, create: bool) -> Optional[bytes]:
    """The cache's sealing secret; made when `create` and missing. None when there is none to
    read (or it is damaged), so nothing sealed before can be trusted."""
    path = folder / SECRET_NAME
    try:
        if not path.is_symlink() and path.is_file():
            data = path.read_bytes()
            if len(data) == 32:
                return data
    except OSError:
        pass
    if not create:
        return None
    folder.mkdir(parents=True, exist_ok=True)
    data = secrets.token_bytes(32)
    temp = folder / f".tmp-{SECRET_NAME}-{os.getpid()}"
    temp.write_bytes(data)
    os.replace(temp, path)
    return data


def _seal(secret: bytes, *parts: str) -> str:
    return hmac.new(secret, "\n".join(parts).encode("utf-8"), hashlib.sha256).hexdigest()


def cache_folder(output: Path) -> Path:
    """The cache of an output folder: `.policyc-cache` inside it."""
    return output / CACHE_NAME


def carry(previous_output: Path, staging: Path) -> None:
    """Hard-link every sound-looking entry of the previous output's cache into the staging
    folder's (a partial build's staging folder already holds a copy)."""
    source, target = cache_folder(previous_output), cache_folder(staging)
    if not source.is_dir() or source.is_symlink() or target.exists():
        return
    secret = _secret(source, create=False)
    if secret is None:
        return  # nothing in it can be checked: start afresh
    target.mkdir(parents=True)
    (target / SECRET_NAME).write_bytes(secret)
    for shard in source.iterdir():
        if not (shard.is_dir() and not shard.is_symlink() and len(shard.name) == 2):
            continue
        (target / shard.name).mkdir(parents=True, exist_ok=True)
        with os.scandir(shard) as entries:  # each entry knows its kind: no stat per entry
            for entry in entries:
                if entry.name.startswith(".tmp-") or not entry.is_file(follow_symlinks=False):
                    continue
                try:
                    os.link(entry.path, target / shard.name / entry.name)
                except OSError:
                    shutil.copy2(entry.path, target / shard.name / entry.name)


class DocumentCache:
    """Rendered documents by key. Entries are `<key[:2]>/<key>.<sha256 of bytes>`."""

    def __init__(self, folder: Path, verified: Optional[dict] = None) -> None:
        """`verified` (kept by serve's session between builds): key -> the entry's name, inode,
        size and modification time when its bytes were last checked against its seal; an entry
        found so again is not read again (carry links the same inode from build to build)."""
        self.folder = folder
        self.verified = verified
        self.secret = _secret(folder, create=True)
        self._entries: dict[str, Path] = {}
        self._shards: set[str] = set()  # the shards listed so far: each the first time a key in it is asked for

    def _index(self, name: str) -> None:
        if name in self._shards:
            return
        self._shards.add(name)
        shard = self.folder / name
        try:
            found = list(shard.iterdir()) if shard.is_dir() and not shard.is_symlink() else []
        except OSError:
            found = []
        for entry in found:
            key, dot, _ = entry.name.partition(".")
            if entry.name.startswith(".tmp-"):
                try:
                    if time.time() - entry.stat().st_mtime > _STALE_TEMP:
                        entry.unlink(missing_ok=True)
                except OSError:
                    pass
            elif dot and key.startswith(name):
                self._entries[key] = entry

    def place(self, key: str, target: Path) -> bool:
        """Put the cached bytes for `key` at `target`; False when there is no sound entry."""
        self._index(key[:2])
        entry = self._entries.get(key)
        if entry is None:
            return False
        try:
            info = entry.stat()
            mark = (entry.name, info.st_ino, info.st_size, info.st_mtime_ns)
            data = None if self.verified is not None and self.verified.get(key) == mark else entry.read_bytes()
        except OSError:
            return False
        if data is not None:
            expected = _seal(self.secret, key, hashlib.sha256(data).hexdigest())
            if not hmac.compare_digest(expected, entry.name.partition(".")[2]):
                entry.unlink(missing_ok=True)  # damaged, replaced or moved: render again and store afresh
                del self._entries[key]
                return False
            if self.verified is not None:
                self.verified[key] = mark
        target.parent.mkdir(parents=True, exist_ok=True)
        target.unlink(missing_ok=True)
        try:
            os.link(entry, target)  # the same bytes on disk once; the check above read them
        except OSError:
            target.write_bytes(entry.read_bytes() if data is None else data)
        return True

    def save_keys(self, fingerprint: str, keys: dict[str, str]) -> None:
        """Keep this build's keys for the next one (written whole, then renamed into place)."""
        self.folder.mkdir(parents=True, exist_ok=True)
        temp = self.folder / f".tmp-{KEYS_NAME}-{os.getpid()}"
        body = json.dumps({"fingerprint": fingerprint, "keys": keys}, sort_keys=True)
        temp.write_text(json.dumps({"body": body, "seal": _seal(self.secret, body)}), encoding="utf-8")
        os.replace(temp, self.folder / KEYS_NAME)

    def store(self, key: str, rendered: Path) -> None:
        """Keep the bytes just written at `rendered` under `key`."""
        data = rendered.read_bytes()
        self._index(key[:2])
        shard = self.folder / key[:2]
        shard.mkdir(parents=True, exist_ok=True)
        entry = shard / f"{key}.{_seal(self.secret, key, hashlib.sha256(data).hexdigest())}"
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
    same inputs (`fingerprint`) and their seal holds; otherwise, or if the file is damaged in
    any way, none."""
    folder = cache_folder(previous_output)
    secret = _secret(folder, create=False)
    if secret is None:
        return {}
    try:
        sealed = json.loads((folder / KEYS_NAME).read_text(encoding="utf-8"))
        if not hmac.compare_digest(_seal(secret, sealed["body"]), sealed["seal"]):
            return {}
        saved = json.loads(sealed["body"])
        keys = saved["keys"] if saved.get("fingerprint") == fingerprint else {}
        if isinstance(keys, dict) and all(isinstance(k, str) and isinstance(v, str) for k, v in keys.items()):
            return keys
    except (OSError, ValueError, TypeError, KeyError, AttributeError):
        pass
    return {}


def open_cache(previous_output: Path, staging: Path, enabled: bool,
               verified: Optional[dict] = None) -> Optional[DocumentCache]:
    """The cache a build in `staging` reads and writes, holding the previous output's entries."""
    carry(previous_output, staging)  # kept even by --no-cache, which only neither reads nor adds to it
    return DocumentCache(cache_folder(staging), verified) if enabled else None
