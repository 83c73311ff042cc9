"""Output keys: a hash of everything that decides a document's bytes, so unchanged ones are reused.

Why hash the writer's own inputs (the resolved policy, its history, the plan entry) and
not the YAML: a comment or a moved line in a source file changes nothing a reader sees,
and a model clause edit changes exactly the documents whose text it reaches.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import enum
import hashlib
import json
import operator
import os
import stat
from functools import lru_cache
from importlib import metadata
from pathlib import Path
from typing import Any, Callable, Optional

from policyc import __version__
from policyc.errors import Position
from policyc.model import ClauseBody
from policyc.history.attach import sibling_pages
from policyc.history.status import standing
from policyc.outputs import formats
from policyc.outputs.layout import in_review as in_review_area
from policyc.outputs.plan import Output
from policyc.resources import TEMPLATE_DIR

_PACKAGE = Path(__file__).resolve().parent.parent
# Libraries whose version can change the bytes of any document (each format's own: its row).
_LIBRARIES = ("jinja2", "markdown-it-py")


def libraries() -> tuple[str, ...]:
    return _LIBRARIES + tuple(name for fmt in formats.FORMATS for name in fmt.libraries)


_ATOMS = frozenset({str, int, float, bool, type(None)})
_FIELDS: dict[type, tuple[str, Callable[[Any], tuple]]] = {}  # dataclass -> (its name, a getter of its fields)


def _fields_of(kind: type) -> Optional[tuple[str, Callable[[Any], tuple]]]:
    if not dataclasses.is_dataclass(kind) or kind is Position:
        return None
    names = tuple(f.name for f in dataclasses.fields(kind) if f.metadata.get("shown", True))
    getter = operator.attrgetter(*names) if len(names) > 1 else (lambda v, n=names[0]: (getattr(v, n),))
    return _FIELDS.setdefault(kind, (kind.__name__, getter))


# A model clause's words are one object however many schools' policies hold it (resolution
# keeps the model's ClauseBody), so their plain form is made once per object, not once per
# school: kept by identity, with the object, and let go all at once past the limit.
_SHARED = frozenset({ClauseBody})
_SHARED_LIMIT = 1 << 17
_SHARED_MEMO: dict[int, tuple[Any, Any]] = {}


def plain(value: Any) -> Any:
    """A JSON-ready copy of a model value, the same for equal values in every run.

    Source positions, file paths and fields marked `metadata={"shown": False}` are left
    out: they say where a value was written, which never shows in a document. Plain text,
    numbers and None are taken as they are without a call: a large trust's keys visit
    millions of them.
    """
    kind = type(value)
    if kind in _ATOMS:
        return value
    if kind is tuple or kind is list:
        return [v if type(v) in _ATOMS else plain(v) for v in value]
    if kind in _SHARED:
        held = _SHARED_MEMO.get(id(value))
        if held is None or held[0] is not value:
            if len(_SHARED_MEMO) >= _SHARED_LIMIT:
                _SHARED_MEMO.clear()
            fields = _FIELDS.get(kind) or _fields_of(kind)
            held = _SHARED_MEMO[id(value)] = (value, [fields[0], [v if type(v) in _ATOMS else plain(v)
                                                                  for v in fields[1](value)]])
        return held[1]
    fields = _FIELDS.get(kind) or _fields_of(kind)
    if fields is not None:
        return [fields[0], [v if type(v) in _ATOMS else plain(v) for v in fields[1](value)]]
    if isinstance(value, (Position, Path)):
        return None
    if isinstance(value, str):  # Markup and other str subclasses
        return str(value)
    if isinstance(value, dict):
        return [[plain(k), plain(v)] for k, v in sorted(value.items(), key=lambda kv: repr(kv[0]))]
    if isinstance(value, (set, frozenset)):
        return sorted((plain(v) for v in value), key=repr)
    if isinstance(value, (dt.date, dt.datetime)):
        return {"date": value.isoformat()}
    if isinstance(value, bytes):  # a logo: its bytes decide the documents that show it
        return {"sha256": hashlib.sha256(value).hexdigest()}
    if isinstance(value, enum.Enum):
        return plain(value.value)
    raise TypeError(f"no canonical form for {kind.__name__}")


def digest(value: Any) -> str:
    text = json.dumps(plain(value), sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@lru_cache(maxsize=1)
def toolchain() -> str:
    """The compiler's own part of every key: its code, templates, assets, fonts and libraries.

    The code is hashed as well as the version number, so an edited checkout never
    reuses documents rendered by older code.
    """
    h = hashlib.sha256(f"policyc {__version__}\n".encode())
    for root in (_PACKAGE, TEMPLATE_DIR):
        for path in sorted(p for p in root.rglob("*") if p.is_file() and "__pycache__" not in p.parts):
            if root is _PACKAGE and path.suffix != ".py":
                continue
            h.update(f"{path.relative_to(root).as_posix()}\n".encode())
            h.update(hashlib.sha256(path.read_bytes()).digest())
    for name in libraries():
        try:
            h.update(f"{name} {metadata.version(name)}\n".encode())
        except metadata.PackageNotFoundError:
            h.update(f"{name} absent\n".encode())
    return h.hexdigest()




def history_view(out: Output, siblings: dict) -> Any:
    """What the writer of `out` reads besides the document's own policy, and nothing more,
    so a document is made again only when something it shows has changed.

    A policy page reads the versions it links to, whether a version is in force and, in the
    review area, the version its redline starts from; and where each sibling policy it names
    has a page (`siblings`, by school). A redline or review pack reads the whole record.
    The current text reaches a key only through the outputs that render it, so an edited
    draft leaves its archived versions' keys alone.
    """
    history = out.history
    found = formats.of_output(out.format)
    # A policy document of a format that reads nothing of its history but its own policy
    # (whose table of changes is part of it): an in-force PDF stays as it is when a draft appears.
    if history is None or found is not None and found[1] == formats.POLICY and not found[0].reads_history:
        return None
    current = history.current
    if found is not None and found[1] == formats.POLICY:  # a page: reads its versions and its siblings
        in_review = in_review_area(out.path)
        latest = history.changed_since
        return {"versions": [[s.version, s.date] for s in history.snapshots],
                "in_force": history.in_force is not None,
                "redline": latest.version if in_review and latest else "",
                "siblings": [[pid, "public" if public else "review" if in_review and pending else ""]
                             for pid, public, pending in siblings.get(current.school_slug, ())]
                            if out.policy.policy_links else ()}
    return history  # the whole record: see KeyMaker.key


def _record(history: Any) -> Any:
    return {"policy": [history.current.school_slug, history.current.policy_id],
            "versions": [[s.version, s.date, s.summary, s.change, s.owner, s.digest] for s in history.snapshots],
            "changed_since": history.changed_since, "proposed": history.proposed_version}


class KeyMaker:
    """Keys for one build: the build date enters only as what it shows (a review overdue or not)."""

    def __init__(self, formats: tuple[str, ...], today: dt.date, histories: list = (),
                 memo: Optional[dict] = None, known: Optional[dict] = None) -> None:
        """`memo`: digests kept from earlier builds (a serve session's), by object, so an
        object that is the same one is not hashed again. `known`: the keys themselves, by
        output path and formats, with everything `key` reads (the policy and history by identity)."""
        self.formats, self.today = tuple(formats), today
        self.siblings = sibling_pages(histories)
        self._memo: dict[int, tuple[Any, str]] = {} if memo is None else memo  # id -> (the object, kept alive; its digest)
        self._known = known

    def _digest(self, value: Any, view=lambda v: v) -> str:
        if value is None:
            return ""
        held = self._memo.get(id(value))
        if held is None or held[0] is not value:
            held = self._memo[id(value)] = (value, digest(view(value)))
        return held[1]

    def _view(self, out: Output) -> Any:
        view = history_view(out, self.siblings)
        return self._digest(view, _record) if view is out.history else plain(view)

    def key(self, out: Output) -> str:
        """The same for any two outputs whose writer would produce the same bytes."""
        if self._known is None:
            return self._key(out)
        school = out.policy.school_slug if out.policy is not None else out.school
        reads = (out.format, out.school, out.members, self.today, self.siblings.get(school))
        held = self._known.get((out.path, self.formats))
        if held is None or held[0] is not out.policy or held[1] is not out.history or held[2] != reads:
            held = self._known[(out.path, self.formats)] = (out.policy, out.history, reads, self._key(out))
        return held[3]

    def _key(self, out: Output) -> str:
        shown = None
        if out.policy is not None:
            p = out.policy
            shown = standing(p.ratification, self.today, p.in_force, p.superseded_by)
        dated = self.today.isoformat() if formats.dated(out.format) else ""
        facts = [toolchain(), out.path, out.format, out.school, list(self.formats),
                 self._view(out), self._digest(out.policy), plain(shown),
                 plain(out.members), dated]
        return hashlib.sha256(json.dumps(facts, sort_keys=True).encode("utf-8")).hexdigest()


def source_digest(source: Path) -> str:
    """A hash of every regular file in the source folder, names and bytes (hidden folders
    such as .git, and links, aside): taken before and after a build reads its sources (see
    pipeline.check_all). "" if any of it cannot be read."""
    h = hashlib.sha256()
    try:
        for folder, subfolders, files in os.walk(source):  # links to folders are not followed
            subfolders[:] = sorted(d for d in subfolders if not d.startswith("."))
            for name in sorted(files):
                path = Path(folder) / name
                info = os.lstat(path)
                if name.startswith(".") or not stat.S_ISREG(info.st_mode):
                    continue
                with open(path, "rb") as stream:
                    h.update(f"{path.relative_to(source).as_posix()}\n".encode())
                    h.update(hashlib.file_digest(stream, "sha256").digest())
    except OSError:
        return ""
    return h.hexdigest()


def fingerprint(sources: str, formats: tuple[str, ...], today: dt.date) -> str:
    """Everything a build's keys are made from: its sources' digest, the toolchain, the
    formats and the date. Equal fingerprints give equal keys, so a build with nothing
    changed takes the previous build's keys instead of hashing every policy again (most of
    a rebuild with nothing to render, at a trust's size). "" when the sources changed while
    they were read: then keys are always computed."""
    if not sources:
        return ""
    return hashlib.sha256(f"{toolchain()}\n{','.join(formats)}\n{today.isoformat()}\n{sources}".encode()).hexdigest()
