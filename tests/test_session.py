"""serve's incremental session gives what a clean build gives, byte for byte, after any edit.

A random sequence of edits (fixed seed) is made to a copy of the example trust; after each,
the session builds into the one output folder it keeps (as serve does) and a fresh build()
without a session into a new folder, and the two trees must hold the same files with the
same bytes. Left out of the comparison: the document cache (.policyc-cache/), whose entries
are named by an HMAC under a secret made at random for each output folder and which holds
whatever earlier builds rendered; it is never published. Everything else, the manifest
included, must be equal. While a file is broken both must refuse to build with the same
messages, and the session's output must be left as it was.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import random
import re
import shutil
from pathlib import Path

import pytest

from policyc.engine.cache import CACHE_NAME
from policyc.errors import InvalidSource
from policyc.pipeline import BuildOptions, build
from policyc.session import Session

EXAMPLE = Path(__file__).resolve().parent.parent / "policy_src"
TODAY = dt.date(2026, 11, 22)


def tree(root: Path) -> dict[str, str]:
    return {p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file() and p.relative_to(root).parts[0] != CACHE_NAME}


def outcome(src: Path, out: Path, session=None):
    try:
        build(BuildOptions(src, out, TODAY, ("html",)), session=session)
    except InvalidSource as exc:
        return [str(p) for p in [*exc.errors, *exc.warnings]]
    return None


class Edits:
    """Edits an author makes, each a real change to what the documents say."""

    def __init__(self, src: Path, rng: random.Random) -> None:
        self.src, self.rng, self.n = src, rng, 0
        self.added: Path | None = None

    def _pick(self, folder: str) -> Path:
        return self.rng.choice(sorted((self.src / folder).glob("*.yaml")))

    def _sub(self, path: Path, pattern: str, repl, flags=re.M) -> None:
        text = path.read_text(encoding="utf-8")
        matches = list(re.finditer(pattern, text, flags))
        assert matches, (path, pattern)
        m = self.rng.choice(matches)
        path.write_text(text[:m.start()] + m.expand(repl) + text[m.end():], encoding="utf-8")

    def school_name(self) -> str:
        self.n += 1
        path = self._pick("schools")
        self._sub(path, r"^name: (.*)$", rf"name: \1 {self.n}")
        return f"name of {path.name}"

    def school_role(self) -> str:
        self.n += 1
        path = self._pick("schools")
        self._sub(path, r"^(  [a-z_]+: \{(?:title: [^,}]*, )?name: )([^}]*)\}", rf"\1\2 {self.n}}}")
        return f"a role holder in {path.name}"

    def clause_text(self) -> str:
        self.n += 1
        # a line of prose inside a block of clause text: ends a sentence, names nothing
        prose = r"^(\s+[A-Z][^:#{}\[\]\"\n]*)\.$"
        path = self.rng.choice([p for p in sorted((self.src / "policies").glob("*.yaml"))
                                if re.search(prose, p.read_text(encoding="utf-8"), re.M)])
        self._sub(path, prose, rf"\1, as revised ({self.n}).")
        return f"clause text in {path.name}"

    def trust_value(self) -> str:
        self.n += 1
        self._sub(self.src / "trust.yaml", r"^(  (?:hr_provider|it_provider|trust_board): )(.*)$",
                  rf"\1\2 {self.n}")
        return "a value in trust.yaml"

    def add_or_remove(self) -> str:
        if self.added is not None:
            self.added.unlink()
            self.added, what = None, "removed the added school"
            return what
        self.n += 1
        model = self._pick("schools")
        self.added = self.src / "schools" / f"added-school-{self.n}.yaml"
        text = re.sub(r"^name: (.*)$", rf"name: Added School {self.n}", model.read_text(encoding="utf-8"),
                      count=1, flags=re.M)
        self.added.write_text(text, encoding="utf-8")
        return f"added a school like {model.name}"


@pytest.mark.slow  # a dozen builds of the example, twice each
def test_session_builds_equal_clean_builds_after_random_edits(tmp_path):
    src = tmp_path / "src"
    shutil.copytree(EXAMPLE, src)
    served = tmp_path / "served"
    session = Session()
    assert outcome(src, served, session) is None
    rng = random.Random(21)
    edits = Edits(src, rng)
    kinds = [edits.school_name, edits.school_role, edits.clause_text, edits.trust_value, edits.add_or_remove,
             "broken", edits.add_or_remove]
    plan = kinds[:5] + rng.sample(kinds, len(kinds))  # every kind at least once, then in a random order
    for step, kind in enumerate(plan):
        if kind == "broken":
            path = rng.choice(sorted((src / "schools").glob("*.yaml")) + sorted((src / "policies").glob("*.yaml")))
            good = path.read_text(encoding="utf-8")
            path.write_text(good + "\n  - : [broken\n", encoding="utf-8")
            before = tree(served)
            problems = outcome(src, served, session)
            assert problems and problems == outcome(src, tmp_path / f"clean-{step}-broken"), path
            assert tree(served) == before  # a failed build leaves the output as it was
            path.write_text(good, encoding="utf-8")
            what = f"broke and fixed {path.name}"
        else:
            what = kind()
        assert outcome(src, served, session) is None, what
        clean = tmp_path / f"clean-{step}"
        assert outcome(src, clean) is None, what
        mine, theirs = tree(served), tree(clean)
        assert mine.keys() == theirs.keys(), (what, sorted(mine.keys() ^ theirs.keys())[:10])
        differ = [p for p in mine if mine[p] != theirs[p]]
        assert not differ, (what, differ[:10])
        shutil.rmtree(clean)
    # every build after the first updated the output in place, none restaged it
    assert session.counts["in place"] == len(plan)


def test_a_session_reuses_what_did_not_change(tmp_path):
    """Not a timing test: a save of one school's file reads, resolves and dates only that school."""
    src = tmp_path / "src"
    shutil.copytree(EXAMPLE, src)
    session = Session()
    assert outcome(src, tmp_path / "out", session) is None
    first = dict(session.counts)
    school = src / "schools" / "hollin-bank-primary.yaml"
    school.write_text(school.read_text(encoding="utf-8").replace("name: Hollin Bank Primary School",
                                                                 "name: Hollin Bank Primary"), encoding="utf-8")
    assert outcome(src, tmp_path / "out", session) is None
    assert session.counts["read"] == first["read"] + 1
    policies = len(list((src / "policies").glob("*.yaml")))
    assert 0 < session.counts["resolved"] - first["resolved"] <= policies
    assert 0 < session.counts["histories"] - first["histories"] <= policies
    assert "Hollin Bank Primary School" not in (tmp_path / "out" / "hollin-bank-primary" / "index.html").read_text()


def test_the_open_page_is_rendered_first_with_the_bytes_the_build_then_writes(tmp_path):
    """serve shows the page being read before the rest of a rebuild (pipeline.render_first):
    only a page (a policy's, or a site page such as an index) that changed, and exactly the
    bytes the build writes next."""
    from policyc.pipeline import check_all, render_first

    src, out = tmp_path / "src", tmp_path / "out"
    shutil.copytree(EXAMPLE, src)
    options = BuildOptions(src, out, TODAY, ("html",))
    session = Session()
    build(options, session=session)
    pages = {h.current.school_slug: f"{h.current.school_slug}/{h.current.policy_id}.html"
             for h in session.built.histories if (out / h.current.school_slug / f"{h.current.policy_id}.html").is_file()}
    school = next(p for p in sorted((src / "schools").glob("*.yaml")) if p.stem in pages)
    page = pages[school.stem]
    other = next(p.relative_to(out).as_posix() for p in sorted(out.glob("*/*.html"))
                 if not p.relative_to(out).as_posix().startswith((school.stem, "review")) and p.name != "index.html")
    checked = check_all(src, session=session)
    assert render_first(options, checked, {page, other}, session) == {}  # nothing changed
    text = school.read_text(encoding="utf-8")
    name = re.search(r"^name: (.*)$", text, re.M).group(1)
    school.write_text(text.replace(f"name: {name}", f"name: {name} Renamed", 1), encoding="utf-8")
    checked = check_all(src, session=session)
    theirs = f"{other.split('/')[0]}/index.html"
    shown = render_first(options, checked, {page, other, "index.html", f"{school.stem}/index.html", theirs,
                                            "no/such.html"}, session)
    # the other school's pages are unchanged; the school's index and the trust's list the new name
    assert set(shown) == {page, "index.html", f"{school.stem}/index.html"}
    assert all(f"{name} Renamed".encode() in shown[p] for p in shown)
    build(options, checked=checked, session=session)
    assert all((out / p).read_bytes() == shown[p] for p in shown)


@pytest.mark.slow  # two builds with Word files, then a dozen of HTML
def test_in_place_updates_keep_and_drop_other_formats_as_a_staged_build_does(tmp_path):
    """serve's HTML builds after a full one: the Word files of the full build are kept while
    current and left out once stale, the same files and bytes (manifest included) as plain
    HTML builds of the same sources into a folder that had the same full build."""
    src = tmp_path / "src"
    shutil.copytree(EXAMPLE, src)
    served, plain = tmp_path / "served", tmp_path / "plain"
    for out in (served, plain):
        build(BuildOptions(src, out, TODAY, ("html", "docx")))
    words = sorted(p.relative_to(served).as_posix() for p in served.rglob("*.docx"))
    assert words
    session = Session()
    edits = Edits(src, random.Random(5))
    for step, kind in enumerate([None, edits.school_name, edits.clause_text, edits.add_or_remove,
                                 edits.add_or_remove, edits.trust_value]):
        what = kind() if kind else "nothing"
        mine = build(BuildOptions(src, served, TODAY, ("html",)), session=session)
        theirs = build(BuildOptions(src, plain, TODAY, ("html",)))
        assert (mine.removed, mine.stale) == (theirs.removed, theirs.stale), what
        assert tree(served) == tree(plain), what
    assert session.counts["in place"] == 5
    left = {p.relative_to(served).as_posix() for p in served.rglob("*.docx")}
    assert left and left < set(words)  # some kept, the stale ones gone


def test_an_output_file_changed_by_hand_is_made_again(tmp_path):
    """In place, a file is left alone only while it is the one the session wrote: one edited,
    replaced or deleted in the output since is made again; a file policyc did not make stays."""
    src, out = tmp_path / "src", tmp_path / "out"
    shutil.copytree(EXAMPLE, src)
    session = Session()
    assert outcome(src, out, session) is None
    clean = tree(out)
    page = next(p for p in sorted(out.glob("*/*.html")) if p.name != "index.html")
    page.write_text("edited by hand", encoding="utf-8")
    (out / "dashboard.html").unlink()
    index = next(out.glob("*/index.html"))
    index.unlink()
    index.write_bytes(b"replaced")
    (out / "notes.txt").write_text("mine", encoding="utf-8")
    assert outcome(src, out, session) is None
    assert session.counts["in place"] == 1
    assert {k: v for k, v in tree(out).items() if k != "notes.txt"} == clean
    assert (out / "notes.txt").read_text(encoding="utf-8") == "mine"
