"""Several source files written all or none, even if the process is killed between two renames.

Why a journal and not a staging folder: one decision touches files in several folders
(snapshots/SCHOOL/POLICY/, schools/, an import's policies/), and no single rename can publish
them together. So every new file is first written in full beside its place, then a small
journal naming each file and the sha256 of its final bytes, fsynced, and only then are the
files renamed into place; the journal goes last. The next command that reads the sources
(`recover`) finishes what a killed one left: every file whose bytes are all there, checked by
their sha256, is put in place, because the decision was taken and written, and taking it
back would silently lose it. Only when the new files were not all written (the process died
while writing them, before any rename) is the attempt taken back, which leaves the sources as
they were. A journal that can be neither finished nor taken back stays, and is said.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

from policyc.errors import UserError, display_path

JOURNAL = ".policyc-journal.json"  # in the source folder; hidden, so never read as a source (keys.source_digest)
_JOURNAL_TEMP = ".policyc-journal.json.tmp"
_NEW = ".policyc-new"  # a file's full new bytes, beside it, until the rename


@dataclass(frozen=True)
class Write:
    path: Path
    data: Optional[bytes]  # None: the file is removed (it must be as `replaces` says)
    replaces: Optional[bytes] = None  # the file's bytes as they are now; None: a new file, never an overwrite


class WriteFailed(UserError):
    """The disk full, read-only or refused: everything taken back before this is raised."""

    def __init__(self, where: str, reason: str, what: str) -> None:
        super().__init__(f"could not write {where}: {reason}; nothing of the {what} was kept, so the sources "
                         "are as they were")
        self.where, self.reason = where, reason


@dataclass(frozen=True)
class Recovered:
    """What `recover` did with an interrupted command's journal (cli/common.py says it in words).

    outcome: "finished" (every file was written: the `ready` not yet in place now are), "taken back"
    (not all were written: none of it kept), "part-way" (some files `broken`, changed or missing
    since, while those `done` were in place: left as they are) or "unreadable" (the journal
    itself, `error` saying why). The last two leave the journal, and are not `complete`."""

    outcome: str
    journal: Path
    what: str = ""  # the work the journal names ("ratify of the ... for ..."), as the command wrote it
    ready: int = 0
    done: tuple[Path, ...] = ()
    broken: tuple[Path, ...] = ()
    error: str = ""

    @property
    def complete(self) -> bool:  # False: the journal could be neither finished nor taken back, and stays
        return self.outcome in ("finished", "taken back")


def publish(root: Path, writes: list[Write], what: str) -> list[Path]:
    """Write every file, all or none. `what` names the work for the line `recover` says.
    Returns the folders it made, so a caller that takes the work back can remove them."""
    writes = [w for w in writes if w.replaces != w.data]
    if not writes:
        return []
    for w in writes:
        _refuse_surprises(w)
    journal = root / JOURNAL
    if journal.exists():
        raise UserError(f"{display_path(journal)} is there: an earlier command's writes are not finished; "
                        "run 'policyc status' to finish them first")
    folders = _missing_folders(w.path.parent for w in writes)
    entries = [{"path": _rel(root, w.path), "temp": _rel(root, _temp(w.path)), "sha256": _sha_or_none(w.data),
                "before": None if w.replaces is None else _sha(w.replaces)} for w in writes]
    record = {"format": 1, "what": what, "files": entries, "folders": [_rel(root, f) for f in folders]}
    placed: list[Write] = []
    lock = None
    try:
        lock = _write_journal(root, record)
        for folder in folders:
            folder.mkdir()
        for w in writes:
            if w.data is not None:
                _write_full(_temp(w.path), w.data, w.path if w.replaces is not None else None)
        _sync_folders({w.path.parent for w in writes})
        for w in writes:
            if w.data is None:
                os.unlink(w.path)
            else:
                os.replace(_temp(w.path), w.path)
            placed.append(w)
        _sync_folders({w.path.parent for w in writes})
        journal.unlink()
        _sync_folders({root})
        return folders
    except BaseException as exc:
        _take_back(root, writes, placed, folders)
        if isinstance(exc, OSError):
            where = _final(Path(exc.filename)) if exc.filename else writes[min(len(placed), len(writes) - 1)].path
            where = display_path(where)
            raise WriteFailed(where, exc.strerror or str(exc), what) from None
        raise
    finally:
        if lock is not None:
            os.close(lock)


def recover(root: Path) -> Optional[Recovered]:
    """Finish, or take back, what a killed `publish` left in `root`; None when there was nothing."""
    _clear_unpublished(root / _JOURNAL_TEMP)
    journal = root / JOURNAL
    try:
        handle = os.open(journal, os.O_RDONLY)
    except FileNotFoundError:
        return None
    try:
        fcntl.flock(handle, fcntl.LOCK_EX)  # a command writing now holds it until its journal is gone
        if not journal.exists() or os.stat(journal).st_ino != os.fstat(handle).st_ino:
            return None  # it finished while we waited
        return _settle(root, journal)
    finally:
        os.close(handle)


def _clear_unpublished(temp: Path) -> None:
    """A journal a killed command never published (nothing else was written yet) goes; one that
    a running command holds locked is that command's, and stays."""
    try:
        handle = os.open(temp, os.O_RDONLY)
    except FileNotFoundError:
        return
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        if os.stat(temp).st_ino == os.fstat(handle).st_ino:
            temp.unlink()
    except (BlockingIOError, FileNotFoundError):
        pass
    finally:
        os.close(handle)


def _settle(root: Path, journal: Path) -> Recovered:
    try:
        record = json.loads(journal.read_text(encoding="utf-8"))
        what = str(record["what"])
        files = [(root / f["path"], root / f["temp"], f["sha256"], f["before"]) for f in record["files"]]
        folders = [root / f for f in record.get("folders", [])]
    except (OSError, ValueError, KeyError, TypeError) as exc:
        return Recovered("unreadable", journal, error=str(exc))
    done, ready, broken = [], [], []
    for path, temp, target, before in files:
        now = _sha_of(path)
        if now == target:
            done.append(path)
        elif now == before and (target is None or _sha_of(temp) == target):
            ready.append((temp, path) if target else (None, path))
        else:
            broken.append(path if now != before else temp)
    if not broken:
        for temp, path in ready:
            if temp is None:
                os.unlink(path)  # a removal the command had not yet made
            else:
                os.replace(temp, path)
        _sync_folders({p.parent for _, p in ready})
        journal.unlink()
        return Recovered("finished", journal, what, ready=len(ready))
    if not done:
        for _, temp, _, _ in files:
            temp.unlink(missing_ok=True)
        _remove_empty(folders)
        journal.unlink()
        return Recovered("taken back", journal, what)
    return Recovered("part-way", journal, what, done=tuple(done), broken=tuple(broken))


def _refuse_surprises(w: Write) -> None:
    exists = w.path.is_file()
    if w.data is None and w.replaces is None:
        raise ValueError("a removal says what the file holds now")
    if w.replaces is None and (exists or w.path.exists()):
        raise UserError(f"{display_path(w.path)} already exists; it is never overwritten")
    if w.replaces is not None and (not exists or w.path.read_bytes() != w.replaces):
        raise UserError(f"{display_path(w.path)} changed while policyc was working; run the command again")


def _write_journal(root: Path, record: dict) -> int:
    """The journal, published whole (written, fsynced, renamed), and held locked until it is removed."""
    temp = root / _JOURNAL_TEMP
    handle = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
    try:
        fcntl.flock(handle, fcntl.LOCK_EX)
        os.write(handle, json.dumps(record, ensure_ascii=False, indent=1).encode("utf-8"))
        os.fsync(handle)
        os.replace(temp, root / JOURNAL)
        _sync_folders({root})
    except BaseException:
        os.close(handle)
        temp.unlink(missing_ok=True)
        raise
    return handle


def _write_full(temp: Path, data: bytes, like: Optional[Path]) -> None:
    mode = (os.stat(like).st_mode & 0o7777) if like else (0o666 & ~_umask())  # colleagues read it as any other
    handle = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        os.fchmod(handle, mode)
        view = memoryview(data)
        while view:
            view = view[os.write(handle, view):]
        os.fsync(handle)
    finally:
        os.close(handle)


def _take_back(root: Path, writes: list[Write], placed: list[Write], folders: list[Path]) -> None:
    """A failure this process saw (a full disk, say): everything put back as it was, then the journal."""
    for w in reversed(placed):
        if w.replaces is None:
            w.path.unlink(missing_ok=True)
        elif w.data is None:
            _write_full(_temp(w.path), w.replaces, None)
            os.replace(_temp(w.path), w.path)
        else:
            _write_full(_temp(w.path), w.replaces, w.path)
            os.replace(_temp(w.path), w.path)
    for w in writes:
        _temp(w.path).unlink(missing_ok=True)
    _remove_empty(folders)
    (root / JOURNAL).unlink(missing_ok=True)


def _missing_folders(parents) -> list[Path]:
    missing: list[Path] = []
    for folder in parents:
        chain = []
        while not folder.exists():
            chain.append(folder)
            folder = folder.parent
        missing += [f for f in reversed(chain) if f not in missing]
    return missing


def _remove_empty(folders: list[Path]) -> None:
    for folder in reversed(folders):
        try:
            folder.rmdir()  # only when empty: a folder that holds anything else stays
        except OSError:
            pass


def _sync_folders(folders) -> None:
    for folder in folders:
        try:
            handle = os.open(folder, os.O_RDONLY)
        except OSError:
            continue
        try:
            os.fsync(handle)
        except OSError:
            pass  # some file systems refuse to sync a folder; the files themselves are synced
        finally:
            os.close(handle)


def _temp(path: Path) -> Path:
    return path.with_name(f".{path.name}{_NEW}")


def _final(path: Path) -> Path:
    """The file a temporary one is for, so a message names the file the user knows."""
    return path.with_name(path.name[1:-len(_NEW)]) if path.name.endswith(_NEW) else path


def _rel(root: Path, path: Path) -> str:
    return Path(os.path.relpath(path, root)).as_posix()


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _sha_or_none(data: Optional[bytes]) -> Optional[str]:
    return None if data is None else _sha(data)


def _sha_of(path: Path) -> Optional[str]:
    try:
        return _sha(path.read_bytes())
    except (FileNotFoundError, IsADirectoryError, NotADirectoryError):
        return None


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
