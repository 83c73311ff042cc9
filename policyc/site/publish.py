"""Write into a staging folder and swap it into place only when everything succeeded."""

from __future__ import annotations

import errno
import fcntl
import json
import os
import shutil
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Callable, Iterator

from policyc.engine.cache import CACHE_NAME
from policyc.errors import UserError, display_path
from policyc.outputs.formats import of_suffix as format_of_suffix
from policyc.site.guard import MARKER, MARKER_TEXT


@contextmanager
def output_lock(output: Path) -> Iterator[None]:
    """One build at a time per output folder: a lock file beside it (where the staging folders
    are), held with flock, so the system lets it go when its process ends, however it ends.
    A second build is refused with who holds it; it never touches the first one's staging.
    The file is removed when the build is done, so nothing is left beside the output."""
    output = output.resolve()
    output.parent.mkdir(parents=True, exist_ok=True)
    path = output.parent / f".{output.name}.policyc-lock"
    while True:
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(fd, 200, 0).decode("utf-8", "replace").split()
            os.close(fd)
            who = f" (process {holder[0]}, started {holder[1]})" if len(holder) >= 2 else ""
            raise UserError(f"another policyc build is writing {display_path(output)}{who}; wait until it "
                            "has finished, then build again") from None
        try:
            same = os.stat(path).st_ino == os.fstat(fd).st_ino
        except FileNotFoundError:
            same = False
        if same:  # not a file the build before removed just as this one opened it
            break
        os.close(fd)
    try:
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()} {time.strftime('%Y-%m-%dT%H:%M:%S')}\n".encode(), 0)
        yield
    finally:
        path.unlink(missing_ok=True)
        os.close(fd)


def plain_os_error(exc: OSError, output: Path) -> UserError:
    """What the file system refused, in words, with what to do: the previous output is untouched."""
    named = str(getattr(exc, "filename", "") or "")
    staging = f".{Path(output).resolve().name}.staging-"
    if staging in named:  # a file of the folder being made: say where it was to go
        inner = named.split(staging, 1)[1].split("/", 1)
        named = str(Path(output) / inner[1]) if len(inner) > 1 else str(output)
    where = display_path(Path(named)) if named else display_path(output)
    kept = "; the output folder is as it was"
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return UserError(f"there is no space left to write {where} (the disk or your quota is full): free some "
                         f"space or choose an --output folder on another disk, then build again{kept}")
    if exc.errno == errno.EROFS:
        return UserError(f"{where} is on a file system that cannot be written to: choose an --output folder "
                         f"you can write to{kept}")
    if exc.errno in (errno.EACCES, errno.EPERM):
        return UserError(f"policyc may not write {where}: check the folder's permissions, or choose "
                         f"another --output folder{kept}")
    return UserError(f"could not write {where}: {exc.strerror or exc}{kept}")


@contextmanager
def staged(output: Path, keep_existing: bool,
           discard: Callable[[Path], None] = lambda old: shutil.rmtree(old, ignore_errors=True)) -> Iterator[Path]:
    """Yield a fresh folder beside `output`; on success it replaces `output`, on failure it goes.
    `discard` removes the output it replaced (serve does it while the next page is shown)."""
    output = output.resolve()
    output.parent.mkdir(parents=True, exist_ok=True)
    _clear_leftovers(output)
    staging = Path(tempfile.mkdtemp(prefix=f".{output.name}.staging-", dir=output.parent))
    try:
        if keep_existing and output.is_dir():
            shutil.copytree(output, staging, dirs_exist_ok=True)
        (staging / MARKER).write_text(MARKER_TEXT, encoding="utf-8")
        yield staging
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    _swap(staging, output, discard)


def _clear_leftovers(output: Path) -> None:
    """A build killed outright (power cut, kill -9) leaves its staging folder; the output
    itself was never touched. `staged` runs only under `output_lock`, so a staging folder
    found here is a dead build's, whatever its age, and goes (one younger than a minute used
    to be kept in case a build still wrote it, so a build killed and run again at once left
    it beside the output for good). An old output that serve may still be removing in the
    background is cleared only after a minute."""
    for leftover in output.parent.glob(f".{output.name}.staging-*"):
        if leftover.is_dir():
            shutil.rmtree(leftover, ignore_errors=True)
    for leftover in output.parent.glob(f".{output.name}.old-*"):
        if leftover.is_dir() and time.time() - leftover.stat().st_mtime > 60:
            shutil.rmtree(leftover, ignore_errors=True)


def _swap(staging: Path, output: Path, discard: Callable[[Path], None]) -> None:
    staging.chmod(0o755)
    if not output.exists():
        os.replace(staging, output)
        return
    old = Path(tempfile.mkdtemp(prefix=f".{output.name}.old-", dir=output.parent))
    os.rmdir(old)
    os.replace(output, old)
    os.replace(staging, output)
    discard(old)


MANIFEST = ".policyc-manifest.json"  # what the last build made, each file with the school and policy it is of


def carry_over(output: Path, staging: Path, owners: dict[str, list], formats: tuple[str, ...],
               alive: set[tuple[str, str]], schools: set[str],
               current: Callable[[str, list], str] = lambda rel, formats: "") -> tuple[list[str], list[str]]:
    """Bring into `staging` every file of the previous output that this build did not make and
    must keep; return the files left out because their sources are gone.

    Why: a build of fewer formats, of one school, or serve's HTML-only build would otherwise
    publish an output without the PDFs and Word files an earlier build made. A file the
    previous build did not list in its manifest is not policyc's (the user put it there, or
    `policyc diff` wrote it) and is always kept. A file policyc made is kept while its school
    and policy are still in the sources, unless it is of a format built now and this build
    did not make it again (it is no longer an output: a draft since ratified, say).
    A document of a format not built now is kept only while it is still what the sources
    make: the key it was made for (kept in the manifest) is compared with `current(path,
    formats it was built with)`; one the sources have moved past (a PDF of the version since
    superseded, say) is left out and listed as stale, never published beside newer pages.
    `owners` is this build's own manifest, path -> [school, policy, key, formats] ("" for none).
    Returns the files removed because their sources are gone, and the stale ones.
    """
    output = output.resolve()
    made_before = _read_manifest(output)
    removed: list[tuple[bool, str]] = []
    stale: list[str] = []
    if output.is_dir():
        # Walked once each with os.scandir (whose entries know their kind), not a stat or
        # four per file: serve's rebuilds walk every file of the output.
        taken = dict(_entries(staging))  # rel -> whether it is a file (or link), not a folder
        previous = sorted((rel for rel, plain in _entries(output) if plain == "file"), key=lambda r: r.split("/"))
        for rel in previous:
            if rel.split("/", 1)[0] in (CACHE_NAME, MARKER, MANIFEST):
                continue
            path, target = output / rel, staging / rel
            if rel in taken:
                continue
            if rel in made_before:
                fate = leftover_fate(rel, made_before[rel], formats, alive, schools, current)
                if fate == REMOVED:
                    removed.append((not (made_before[rel] + ["", ""])[1], rel))  # a policy's documents first
                    continue
                if fate == STALE:
                    stale.append(rel)
                    continue
                owners[rel] = made_before[rel]  # still policyc's: listed again, so a later build may remove it
            parts = rel.split("/")
            if any(taken.get("/".join(parts[:i])) not in (None, "folder") for i in range(1, len(parts))):
                continue  # a file of this build stands where the old one's folder was
            target.parent.mkdir(parents=True, exist_ok=True)
            try:
                os.link(path, target)  # the same bytes; the old output's copy goes with the swap
            except OSError:
                shutil.copy2(path, target)
            taken[rel] = "file"
    (staging / MANIFEST).write_text(manifest_text(owners), encoding="utf-8")
    return [rel for _, rel in sorted(removed)], stale


def manifest_text(files: dict[str, list]) -> str:
    """The manifest as JSON, one file to a line (read by a person comparing two builds, and
    written by json's fast encoder: a trust's output lists thousands of files)."""
    lines = ",\n".join(f"{json.dumps(rel)}: {json.dumps(files[rel])}" for rel in sorted(files))
    return '{"files": {\n' + lines + "\n}}\n"


def _scan(root: Path, skip: tuple[str, ...] = (), at: str = "") -> Iterator[tuple[str, str, os.DirEntry]]:
    """Every entry under `root` as (path relative to it, "folder", "file" for a regular file, or
    "other": a link, or anything else; and the entry, which knows its kind without a stat).
    Links to folders are not followed; `skip` names entries of `root` itself left out."""
    try:
        with os.scandir(root / at if at else root) as found:
            listed = list(found)
    except OSError:
        return
    for entry in listed:
        if not at and entry.name in skip:
            continue
        rel = f"{at}/{entry.name}" if at else entry.name
        if entry.is_dir(follow_symlinks=False):
            yield rel, "folder", entry
            yield from _scan(root, (), rel)
        else:
            yield rel, "file" if entry.is_file(follow_symlinks=False) else "other", entry


REMOVED, STALE, KEPT = "removed", "stale", "kept"


def leftover_fate(rel: str, entry: list, formats: tuple[str, ...], alive: set[tuple[str, str]], schools: set[str],
                  current: Callable[[str, list], str]) -> str:
    """What becomes of a file the last build made (its manifest `entry`: school, policy, key,
    formats) that this build does not make again: REMOVED when its school or policy is gone
    or it is of a format built now (so no longer an output); STALE when it is a document of
    another format that the sources have moved past (`current(rel, formats it was built
    with)` is not the key it was made for); else KEPT."""
    school, policy = (entry + ["", ""])[:2]
    gone = (policy and (school, policy) not in alive) or (school and school not in schools)
    if gone or format_of_suffix(Path(rel).suffix) in formats:
        return REMOVED
    if len(entry) >= 4 and entry[2] and current(rel, list(entry[3])) != entry[2]:
        return STALE
    return KEPT


def _entries(root: Path) -> Iterator[tuple[str, str]]:
    """Every entry under `root` as (path relative to it, its kind): see _scan."""
    return ((rel, kind) for rel, kind, _ in _scan(root))


@contextmanager
def scratch(output: Path) -> Iterator[Path]:
    """A folder beside `output` for a file made outside a build, removed afterwards (named as
    a staging folder is, so one a killed process leaves is cleared by the next build)."""
    output = output.resolve()
    folder = Path(tempfile.mkdtemp(prefix=f".{output.name}.staging-", dir=output.parent))
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def record_made(output: Path, rel: str, entry: list, scratch: Path) -> None:
    """List one more file as policyc's in the output's manifest (a document made on its own,
    outside a build: serve's copy of a format it does not build). Written whole in `scratch`,
    then renamed into place, so the manifest is the old one or the new one; run under
    `output_lock`."""
    output = output.resolve()
    files = _read_manifest(output)
    files[rel] = entry
    temp = scratch / MANIFEST
    temp.write_text(manifest_text(files), encoding="utf-8")
    os.replace(temp, output / MANIFEST)


def made(output: Path) -> dict[str, list]:
    """The manifest of the last build into `output`: path -> [school, policy, key, formats]."""
    return _read_manifest(output.resolve())


def _read_manifest(output: Path) -> dict[str, list]:
    try:
        files = json.loads((output / MANIFEST).read_text(encoding="utf-8"))["files"]
        return {k: list(v) for k, v in files.items() if isinstance(k, str) and isinstance(v, list)}
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return {}


def file_states(root: Path) -> tuple[dict[str, tuple], set[str]]:
    """Every regular file under `root` but the cache, with its inode, size and modification
    time (what tells a file left as it was from one written since), and every folder."""
    files: dict[str, tuple] = {}
    folders: set[str] = set()
    for rel, kind, entry in _scan(root, (CACHE_NAME,)):
        if kind == "folder":
            folders.add(rel)
        elif kind == "file":
            info = entry.stat(follow_symlinks=False)
            files[rel] = (info.st_ino, info.st_size, info.st_mtime_ns)
        else:
            files[rel] = ("other",)
    return files, folders


def publish_in_place(output: Path, made_in: Path, produced: list[str], removed: list[str],
                     owners: dict[str, list]) -> None:
    """Move the files made in `made_in` (paths relative to it, `produced`) over their places in
    `output`, remove `removed`, and write the manifest `owners`: what serve does after a save
    in place of staging and swapping the whole output (thousands of files, for a save that
    changed a few). Run under `output_lock`, once everything is made: the folders are made
    first, so what can run out of space fails before any file is replaced; each file is then
    replaced by a rename, so none is ever seen half written. A folder left empty goes."""
    output = output.resolve()
    for rel in produced:
        (output / rel).parent.mkdir(parents=True, exist_ok=True)
    if not (output / MARKER).is_file():
        (output / MARKER).write_text(MARKER_TEXT, encoding="utf-8")
    temp = made_in / MANIFEST
    temp.write_text(manifest_text(owners), encoding="utf-8")
    for rel in produced:
        os.replace(made_in / rel, output / rel)
    for rel in removed:
        (output / rel).unlink(missing_ok=True)
        folder = (output / rel).parent
        while folder != output:
            try:
                folder.rmdir()
            except OSError:  # not empty, or not there
                break
            folder = folder.parent
    os.replace(temp, output / MANIFEST)
