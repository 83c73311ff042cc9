"""An incremental session for `policyc serve`: what the last builds read, checked, resolved
and hashed, kept in memory so a save costs only what it changed.

Why memoise by content and by object, not by which file the watcher said changed: the
watcher can miss or merge events, and an editor may save a file back to what it was. A
source file is reused when its bytes are the same (sha256); everything made from it is
reused while the objects it is made from are the same ones, so an unchanged school's
policies come out as the very objects of the last build, and their output keys are not
hashed again (build/keys.KeyMaker keeps digests by object). Every problem a stage
reported is kept with what it made and reported again when it is reused, so the messages
of a session build are those of a clean one, all of them.

What each memo depends on, exactly:
- a source file: its path, the kind it is read as, the source folder, and its bytes;
- a file's model (trust, policy or school): that file's SourceFile, and a school's slug;
- a policy's checks: its model and file, and the ids every policy gives [[...]] (by value);
  a school's: its model and file, the trust's model, every policy's, and which policies
  could not be read;
- a school's resolved policy: the trust's model, that policy's and that school's, and the
  other policies resolution looked at (resolve_policy reports them in `consulted`);
- its numbering: the resolved policy; its links: its school's numbered policies, and then
  the targets they give it (compared by value);
- its history: the linked policy and the names, kinds and bytes of its snapshot files.

Entries last while a build uses them, and one build more (so a file broken and fixed
again costs its own re-reading, not everyone's); older ones are let go.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import threading
from pathlib import Path
from typing import Any, Optional

from dataclasses import replace as copy

from policyc.compile.applicability import applicability
from policyc.compile.links import link_targets, own_links
from policyc.compile.number import number_policy
from policyc.compile.resolve import resolve_policy
from policyc.errors import Problems
from policyc.history.attach import PolicyHistory, attach_history
from policyc.history.snapshot import LENT, load_snapshots
from policyc.model import Project, ResolvedPolicy
from policyc.source.check import Reading, _read
from policyc.source.read import SourceFile, read_source_bytes


class _Memo:
    """Entries of this build, the last one and the one before."""

    def __init__(self) -> None:
        self.now: dict = {}
        self.last: dict = {}
        self.before: dict = {}

    def get(self, key: Any) -> Any:
        found = self.now.get(key)
        if found is None:
            found = self.last.get(key)
            if found is None:
                found = self.before.get(key)
            if found is not None:
                self.now[key] = found
        return found

    def put(self, key: Any, value: Any) -> None:
        self.now[key] = value

    def turn(self) -> None:
        self.before, self.last, self.now = self.last, self.now, {}

    def __len__(self) -> int:
        return len(self.now.keys() | self.last.keys() | self.before.keys())


class _Digests(dict):
    """KeyMaker's digests by object id: this build's, taking those of the last builds on first use."""

    def __init__(self, memo: _Memo) -> None:
        super().__init__()
        self.memo = memo

    def get(self, key, default=None):
        found = dict.get(self, key)
        if found is None:
            found = self.memo.get(key)
            if found is not None:
                dict.__setitem__(self, key, found)
        return default if found is None else found

    def __setitem__(self, key, value) -> None:
        dict.__setitem__(self, key, value)
        self.memo.put(key, value)


class _SessionReading(Reading):
    def __init__(self, session: "Session") -> None:
        self.session = session

    def read(self, path: Path, kind: str, problems: Problems, root: Path) -> Optional[SourceFile]:
        told = Problems()
        data = read_source_bytes(path, str(path), told, within=root)
        if data is None:  # not a file that can be read: reported as a clean build reports it
            return _read(path, kind, problems, root)
        key = (str(path), kind, str(root), hashlib.sha256(data).hexdigest())
        held = self.session.files.get(key)
        if held is None:
            told = Problems()
            held = (_read(path, kind, told, root, data), told)
            self.session.files.put(key, held)
            self.session.counts["read"] += 1
        problems.replay(held[1])
        return held[0]

    def model(self, source: SourceFile, kind: str, problems: Problems, slug: str = ""):
        key = (id(source), kind, slug)
        held = self.session.models.get(key)
        if held is None or held[0] is not source:
            told = Problems()
            held = (source, super().model(source, kind, told, slug), told)
            self.session.models.put(key, held)
        problems.replay(held[2])
        return held[1]

    def branded(self, model, source: SourceFile, problems: Problems, root: Path):
        # The logo file is read on every save (it is small); the branded model stays the same
        # object while the model and what the brand reads are the same, so nothing after it is redone.
        told = Problems()
        plain = Reading.branded(self, model, source, told, root)
        key = ("brand", id(model))
        held = self.session.models.get(key)
        if held is None or held[0] is not model or held[1] != plain.brand:
            held = (model, plain.brand, plain)
            self.session.models.put(key, held)
        problems.replay(told)
        return held[2]

    def check_policy(self, source: SourceFile, policy, problems: Problems, cross: dict):
        # It reads the policy, its file and the ids every policy gives [[...]] (compared by value).
        known = (dict(cross), getattr(cross, "unreadable", None))
        held = self.session.checked.get(("policy", id(policy)))
        if held is None or held[0] is not policy or held[1] is not source or held[2] != known:
            told = Problems()
            held = (policy, source, known, super().check_policy(source, policy, told, cross), told)
        self.session.checked.put(("policy", id(policy)), held)
        problems.replay(held[4])
        return held[3]

    def check_school(self, project: Project, school, source: SourceFile, broken: set, problems: Problems) -> None:
        # It reads the school, its file, the trust, every model policy and which could not be read.
        held = self.session.checked.get(("school", id(school)))
        if held is None or not (held[0] is school and held[1] is source and held[2] is project.trust
                                and _same(held[3], project.policies) and held[4] == broken):
            told = Problems()
            super().check_school(project, school, source, broken, told)
            held = (school, source, project.trust, project.policies, frozenset(broken), told)
        self.session.checked.put(("school", id(school)), held)
        problems.replay(held[5])


def _same(a: tuple, b: tuple) -> bool:
    return len(a) == len(b) and all(x is y for x, y in zip(a, b))


class Published:
    """What a session's last build left in its output folder, so the next one updates it in
    place (pipeline._update_in_place): each file's inode, size and modification time, what
    each site page was made from (site.reads), and the compiler that made the assets."""

    def __init__(self, output: Path, files: dict[str, tuple], pages: dict, toolchain: str) -> None:
        self.output, self.files, self.pages, self.toolchain = output, files, pages, toolchain


class Session:
    """Kept by `serve` between saves; passed to pipeline.check_all and pipeline.build."""

    def __init__(self) -> None:
        self.files, self.models, self.checked, self.resolved = _Memo(), _Memo(), _Memo(), _Memo()
        self.schools = _Memo()  # a school's numbered policies (by identity) -> their linked ones
        self.numbered, self.linked, self.histories = _Memo(), _Memo(), _Memo()
        self.snapshots = _Memo()  # a policy's snapshots, by school, policy and source folder
        self.key_memo = _Memo()
        self.reading = _SessionReading(self)
        self.counts = {"read": 0, "resolved": 0, "histories": 0, "in place": 0}
        self.built = None  # the last build's pipeline.Checked: what a document made on demand is made from
        self.every = None  # (a Checked, every document its sources make in every format, by path)
        self.verified: dict = {}  # the cache's entries whose seal was checked: see engine.cache.DocumentCache
        self.published: Optional[Published] = None  # what the last build left in the output: see below
        self.entries: dict = {}  # the site's entries, by history: see site.bundle.entries
        self.keys: dict = {}  # output keys, by path and formats: see engine.keys.KeyMaker
        self._discarding: list[threading.Thread] = []

    def digests(self) -> dict:
        """The KeyMaker memo for one build."""
        return _Digests(self.key_memo)

    def resolve_all(self, project: Project, problems: Problems) -> list[ResolvedPolicy]:
        """As compile.resolve.resolve_all, reusing what the same inputs gave before."""
        result = []
        for school in project.schools:
            for policy in project.policies:
                if not applicability(policy, school).applies:
                    continue
                resolved = self._resolve(project, policy, school, problems)
                if resolved:
                    result.append(resolved)
        return result

    def _resolve(self, project: Project, policy, school, problems: Problems) -> Optional[ResolvedPolicy]:
        trust = project.trust
        key = (id(trust), id(policy), id(school))
        held = self.resolved.get(key)
        was = held[4] if held is not None else None
        if held is not None and not (held[0] is trust and held[1] is policy and held[2] is school
                                     and self._same_others(project, policy, held[3])):
            held = None
        if held is None:
            told, consulted = Problems(), set()
            result = resolve_policy(project, policy, school, told, consulted)
            if result is not None and was is not None and result == was:
                # Another policy it looked at changed, but not what it took from it: the very
                # object of the last build, so its numbering, history and keys are reused.
                result = was
            others = {p.id: p for p in project.policies if p.id != policy.id}
            seen = tuple(others.values()) if "*" in consulted else None
            deps = {pid: others.get(pid) for pid in consulted if isinstance(pid, str) and pid != "*"}
            held = (trust, policy, school, (deps, seen), result, told)
            self.counts["resolved"] += 1
        self.resolved.put(key, held)
        problems.replay(held[5])
        return held[4]

    @staticmethod
    def _same_others(project: Project, policy, looked_at) -> bool:
        deps, seen = looked_at
        others = {p.id: p for p in project.policies if p.id != policy.id}
        if seen is not None:
            now = tuple(others.values())
            if len(now) != len(seen) or any(a is not b for a, b in zip(now, seen)):
                return False
        return all(others.get(pid) is was for pid, was in deps.items())

    def number_and_link(self, resolved: list[ResolvedPolicy]) -> list[ResolvedPolicy]:
        """As link_policies([number_policy(p) ...]), giving back the same objects for the same inputs."""
        numbered = []
        for policy in resolved:
            held = self.numbered.get(id(policy))
            if held is None or held[0] is not policy:
                held = (policy, number_policy(policy))
            self.numbered.put(id(policy), held)
            numbered.append(held[1])
        by_school: dict[str, list[ResolvedPolicy]] = {}
        for policy in numbered:
            by_school.setdefault(policy.school_slug, []).append(policy)
        linked_of: dict[int, ResolvedPolicy] = {}
        for slug, siblings in by_school.items():  # a school's links read its own policies only
            key = (slug, tuple(id(p) for p in siblings))
            held = self.schools.get(key)
            if held is None or not _same(held[0], tuple(siblings)):
                targets = link_targets(siblings)
                linked = []
                for policy in siblings:
                    links = own_links(policy, targets)
                    was = self.linked.get(id(policy))
                    if was is None or was[0] is not policy or was[1] != links:
                        was = (policy, links, copy(policy, policy_links=links))
                    self.linked.put(id(policy), was)
                    linked.append(was[2])
                held = (tuple(siblings), tuple(linked))
            self.schools.put(key, held)
            linked_of.update((id(p), q) for p, q in zip(held[0], held[1]))
        return [linked_of[id(p)] for p in numbered]

    def attach_history(self, policy: ResolvedPolicy, root: Path, problems: Problems) -> PolicyHistory:
        """As history.attach.attach_history, reused while the policy and its snapshot files are the same.
        The snapshots themselves are kept while their files and what they take from the
        policy (history.snapshot.LENT) are the same, so an edit to the text in preparation
        leaves the ratified versions (and their documents' keys) as the objects they were."""
        state = _snapshot_state(root / "snapshots" / policy.school_slug / policy.policy_id)
        where = (policy.school_slug, policy.policy_id, str(root))
        held = self.histories.get(id(policy))
        if held is None or held[0] is not policy or held[1] != state or held[2] != root:
            lent = tuple(getattr(policy, name) for name in LENT)
            loaded = self.snapshots.get(where)
            if loaded is None or loaded[0] != state or loaded[1] != lent:
                told = Problems()
                loaded = (state, lent, tuple(load_snapshots(root, policy, told)), told)
            self.snapshots.put(where, loaded)
            told = Problems()
            told.replay(loaded[3])
            held = (policy, state, root, attach_history(policy, root, told, loaded[2]), told)
            self.counts["histories"] += 1
        else:
            self.snapshots.get(where)  # kept for the next build
        self.histories.put(id(policy), held)
        problems.replay(held[4])
        return held[3]

    def turn(self) -> None:
        """A build is over: let go of what neither it nor the two before it used."""
        for memo in (self.files, self.models, self.checked, self.resolved, self.numbered, self.linked,
                     self.schools, self.histories, self.snapshots, self.key_memo):
            memo.turn()

    def discard(self, old_output: Path) -> None:
        """Remove the output a build replaced, in the background: the new one is in place
        already, and removing thousands of files need not hold up the page."""
        thread = threading.Thread(target=shutil.rmtree, args=(old_output,), kwargs={"ignore_errors": True},
                                  daemon=True)
        self._discarding = [t for t in self._discarding if t.is_alive()] + [thread]
        thread.start()

    def wait(self) -> None:
        """Until every replaced output is removed (serve, before it stops)."""
        for thread in self._discarding:
            thread.join()


def _snapshot_state(folder: Path) -> tuple:
    """The name, kind and bytes' digest of every file load_snapshots would read in `folder`."""
    if not folder.is_dir():
        return ()
    state = []
    for path in sorted(folder.glob("*.yaml")):
        try:
            info = os.lstat(path)
            with open(path, "rb") as stream:
                state.append((path.name, info.st_mode, hashlib.file_digest(stream, "sha256").hexdigest()))
        except OSError:
            state.append((path.name, -1, ""))
    return tuple(state)
