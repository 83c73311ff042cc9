"""A build keeps every file of the output it did not make now (#21.3): other formats, other
schools, the user's own files; only what the sources no longer make is removed, and reported."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from tests.helpers import POLICY, SCHOOL, TRUST, edit, ratify, write_tree

pytestmark = [pytest.mark.pdf, pytest.mark.slow]

ROOT = Path(__file__).resolve().parent.parent.parent
TODAY = "2026-11-22"


def _sources(root: Path) -> Path:
    return write_tree(root / "policy_src", {
        "trust.yaml": TRUST, "policies/social-media.yaml": POLICY, "schools/oak-primary.yaml": SCHOOL,
        "schools/elm-primary.yaml": SCHOOL.replace("Oak Primary School", "Elm Primary School"),
    })


def _bytes(out: Path, *suffixes: str) -> dict[str, bytes]:
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in sorted(out.rglob("*"))
            if p.is_file() and p.suffix in suffixes and ".policyc-cache" not in p.parts}


def _build(run, src: Path, out: Path, *extra: str):
    result = run("build", "--source", src, "--output", out, "--today", TODAY, "-q", *extra)
    assert result.code == 0, result.err
    return result


def test_an_html_build_after_a_full_one_keeps_every_pdf_and_word_file_byte_for_byte(tmp_path, run):
    src, out = _sources(tmp_path), tmp_path / "output"
    _build(run, src, out, "--format", "html,pdf,docx")
    before = _bytes(out, ".pdf", ".docx")
    assert any(k.endswith(".pdf") for k in before) and any(k.endswith(".docx") for k in before)
    _build(run, src, out, "--format", "html")
    assert _bytes(out, ".pdf", ".docx") == before


def test_one_school_s_build_keeps_the_other_schools(tmp_path, run):
    src, out = _sources(tmp_path), tmp_path / "output"
    _build(run, src, out, "--format", "html,pdf")
    before = _bytes(out, ".pdf", ".html")
    elm = {k: v for k, v in before.items() if k.startswith("elm-primary/")}
    assert elm
    _build(run, src, out, "--format", "pdf", "--school", "oak-primary")
    after = _bytes(out, ".pdf", ".html")
    assert {k: v for k, v in after.items() if k.startswith("elm-primary/")} == elm


def test_a_school_removed_from_the_sources_has_its_files_removed_and_reported(tmp_path, run):
    src, out = _sources(tmp_path), tmp_path / "output"
    _build(run, src, out, "--format", "html,pdf,docx")
    assert (out / "elm-primary" / "social-media.docx").is_file()
    (src / "schools" / "elm-primary.yaml").unlink()
    result = _build(run, src, out, "--format", "html")  # docx not built now: still removed, its school is gone
    assert not any(p.is_file() for p in (out / "elm-primary").rglob("*")) if (out / "elm-primary").exists() else True
    assert "Removed" in result.out and "elm-primary/social-media.docx" in result.out
    assert (out / "oak-primary" / "social-media.docx").is_file()


def test_the_user_s_own_file_and_a_redline_survive_every_build(tmp_path, run):
    src, out = _sources(tmp_path), tmp_path / "output"
    _build(run, src, out, "--format", "html")
    (out / "oak-primary" / "notes-for-the-web-manager.txt").write_text("mine", encoding="utf-8")
    (out / "mine.pdf").write_bytes(b"%PDF-1.4 mine")
    _build(run, src, out, "--format", "html,pdf")
    _build(run, src, out, "--format", "html", "--no-cache")
    assert (out / "oak-primary" / "notes-for-the-web-manager.txt").read_text(encoding="utf-8") == "mine"
    assert (out / "mine.pdf").read_bytes() == b"%PDF-1.4 mine"


def test_a_failed_build_leaves_the_previous_output_untouched(tmp_path, run):
    src, out = _sources(tmp_path), tmp_path / "output"
    _build(run, src, out, "--format", "html,pdf")
    before = _bytes(out, ".pdf", ".html", ".json")
    (src / "schools" / "oak-primary.yaml").write_text("name: [broken\n", encoding="utf-8")
    assert run("build", "--source", src, "--output", out, "--today", TODAY, "-q").code == 1
    assert _bytes(out, ".pdf", ".html", ".json") == before


def test_serve_s_build_keeps_the_pdfs(tmp_path, run):
    project = tmp_path
    src, out = _sources(project), project / "output"
    _build(run, src, out, "--format", "html,pdf")
    before = _bytes(out, ".pdf")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    process = subprocess.Popen([sys.executable, "-m", "policyc", "serve", "--port", "0", "--today", TODAY],
                               cwd=project, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        line = process.stdout.readline()
        url = re.search(r"Serving on (http://\S+/)", line)
        assert url, line + process.stderr.read()
        assert before and _bytes(out, ".pdf") == before
        # a save that outdates one school's PDFs: they are left out, the others kept, and it is said
        school = src / "schools" / "elm-primary.yaml"
        school.write_text(school.read_text().replace("Elm Primary School", "Elm Tree Primary School"))
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            state = json.loads(urllib.request.urlopen(url.group(1) + "__policyc/state", timeout=10).read())
            if state["build"] > 1 and not state["writing"]:
                break
            time.sleep(0.1)
    finally:
        process.terminate()
        process.wait(timeout=20)
    elm = {k for k in before if k.startswith(("elm-primary/", "review/elm-primary/"))}
    assert elm and {k: v for k, v in before.items() if k not in elm} == _bytes(out, ".pdf")
    said = process.stderr.read()
    assert "Left out" in said and "elm-primary/" in said, said


def test_a_kept_document_the_sources_have_moved_past_is_left_out_and_said(tmp_path, run):
    """An HTML build after a full one, once one school's copy has changed: that school's PDF and
    Word file of the old text are not published beside the new page; the other school's stay."""
    src, out = _sources(tmp_path), tmp_path / "output"
    _build(run, src, out, "--format", "html,pdf,docx")
    before = _bytes(out, ".pdf", ".docx")
    school = src / "schools" / "elm-primary.yaml"
    school.write_text(school.read_text().replace("Elm Primary School", "Elm Tree Primary School"))
    done = _build(run, src, out, "--format", "html")
    after = _bytes(out, ".pdf", ".docx")
    elm = {k for k in before if k.startswith(("elm-primary/", "review/elm-primary/"))}
    assert elm and not elm & set(after)
    assert {k: v for k, v in before.items() if k not in elm} == after
    assert "Left out" in done.out and "build with --format docx,pdf to make them again" in done.out
    _build(run, src, out, "--format", "html,pdf,docx")
    assert set(_bytes(out, ".pdf", ".docx")) == set(before)


def test_a_document_made_on_its_own_is_a_clean_build_s_and_goes_once_its_sources_move_on(tmp_path, run):
    """serve's PDF on demand (pipeline.make_document): the very bytes a build of that format
    makes, listed as policyc's, kept by the HTML builds after it while current, and left out
    once the sources change; the review pack's PDF likewise."""
    import datetime as dt
    from policyc.pipeline import BuildOptions, build, make_document
    from policyc.session import Session

    src, out, clean = _sources(tmp_path), tmp_path / "output", tmp_path / "clean"
    assert ratify(run, src, "2026-10-01", "First version.").code == 0
    edit(src / "policies" / "social-media.yaml", "In person or by email.", "In person, by phone or by email.")
    _build(run, src, clean, "--format", "html,pdf")  # oak-primary's copy awaits ratification: it has a review pack
    options = BuildOptions(src, out, dt.date.fromisoformat(TODAY), ("html",))
    session = Session()
    build(options, session=session)
    assert not list(out.rglob("*.pdf"))
    made = make_document(options, session.built, "oak-primary/social-media.pdf", session)
    assert made == (out / "oak-primary" / "social-media.pdf").resolve()
    assert made.read_bytes() == (clean / "oak-primary" / "social-media.pdf").read_bytes()
    pack = next(p.relative_to(clean).as_posix() for p in (clean / "review").rglob("*.pdf"))
    assert make_document(options, session.built, pack, session).read_bytes() == (clean / pack).read_bytes()
    assert make_document(options, session.built, "oak-primary/no-such-policy.pdf", session) is None
    assert make_document(options, session.built, "oak-primary/social-media.html", session) is None  # built already

    build(options, session=session)  # nothing changed: both are still what the sources make
    assert made.read_bytes() == (clean / "oak-primary" / "social-media.pdf").read_bytes()
    school = src / "schools" / "oak-primary.yaml"
    school.write_text(school.read_text().replace("Oak Primary School", "Oak Tree Primary School"))
    report = build(options, session=session)
    assert not made.exists() and "oak-primary/social-media.pdf" in report.stale
    again = make_document(options, session.built, "oak-primary/social-media.pdf", session)
    assert again.read_bytes() != (clean / "oak-primary" / "social-media.pdf").read_bytes()
    _build(run, src, clean, "--format", "html,pdf")
    assert again.read_bytes() == (clean / "oak-primary" / "social-media.pdf").read_bytes()
