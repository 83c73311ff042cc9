"""Incremental builds: unchanged documents are reused, and the bytes never differ from a clean build."""

from __future__ import annotations

import base64
import datetime as dt
import re
import shutil
from pathlib import Path

import pytest

from policyc.engine.cache import CACHE_NAME
from policyc.pipeline import BuildOptions, build
from tests.helpers import EXAMPLE, SCHOOL, digest_tree, write_tree

TODAY = dt.date(2026, 11, 22)


def run(source: Path, output: Path, today: dt.date = TODAY, **kw):
    return build(BuildOptions(source, output, today, formats=kw.pop("formats", ("html",)), **kw))


def published(folder: Path) -> dict[str, str]:
    """Every file of an output folder but its cache."""
    return {k: v for k, v in digest_tree(folder).items() if not k.startswith(CACHE_NAME + "/")}


@pytest.mark.pdf
def test_cold_warm_and_uncached_builds_give_the_same_bytes(example_output, tmp_path):
    """The session's build filled the cache inside its output; building there again renders nothing."""
    warm_folder = tmp_path / "warm"
    shutil.copytree(example_output, warm_folder)
    warm = run(EXAMPLE, warm_folder, formats=("html", "pdf"), jobs=2)
    assert warm.rendered == 0 and warm.reused == len(warm.written) > 0
    clean = run(EXAMPLE, tmp_path / "clean", formats=("html", "pdf"), jobs=1, cache=False)
    assert clean.reused == 0 and clean.rendered == warm.reused
    assert not (tmp_path / "clean" / CACHE_NAME).exists()
    assert not (tmp_path / CACHE_NAME).exists()  # nothing written beside the output folder
    cold, again, fresh = (published(p) for p in (example_output, warm_folder, tmp_path / "clean"))
    assert cold == again == fresh
    assert digest_tree(example_output) == digest_tree(warm_folder)  # the cache too: nothing new to keep


def test_the_cache_lives_inside_the_output_and_outside_every_school_bundle(mini, tmp_path):
    out = tmp_path / "out"
    run(mini, out)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out", "src"]
    assert (out / CACHE_NAME).is_dir() and any((out / CACHE_NAME).rglob("*.*"))
    assert not any(CACHE_NAME in str(p) for p in (out / "oak-primary").rglob("*"))


def test_a_failed_build_leaves_the_previous_cache_as_it_was(mini, tmp_path):
    out = tmp_path / "out"
    run(mini, out)
    before = digest_tree(out)
    policy = mini / "policies/social-media.yaml"
    policy.write_text(policy.read_text().replace("In person or by email.", "In person or by {{ value.nope }}."))
    try:
        run(mini, out)
    except Exception:
        pass
    assert digest_tree(out) == before


def two_schools(mini: Path) -> Path:
    return write_tree(mini, {"schools/elm-primary.yaml": SCHOOL.replace("Oak Primary", "Elm Primary")})


def test_one_school_edited_renders_only_that_schools_documents(mini, tmp_path):
    two_schools(mini)
    out = tmp_path / "out"
    first = run(mini, out)
    assert (first.rendered, first.reused) == (2, 0)  # one policy for each of two schools
    school = mini / "schools/elm-primary.yaml"
    school.write_text(school.read_text().replace("Jo Bloggs", "Jo Smith"))
    second = run(mini, out)
    assert second.rendered == 1 and second.reused == 1
    assert sorted(second.written) == sorted(first.written)


def test_comments_and_moved_lines_in_a_source_render_nothing(mini, tmp_path):
    out = tmp_path / "out"
    run(mini, out)
    policy = mini / "policies/social-media.yaml"
    policy.write_text("# reviewed by HR\n\n" + policy.read_text())
    assert run(mini, out).rendered == 0


def test_a_model_clause_edit_renders_every_school_again(mini, tmp_path):
    two_schools(mini)
    out = tmp_path / "out"
    run(mini, out)
    policy = mini / "policies/social-media.yaml"
    policy.write_text(policy.read_text().replace("In person or by email.", "In person, by phone or by email."))
    again = run(mini, out)
    assert again.rendered == 2 and again.reused == 0
    run(mini, tmp_path / "clean", cache=False)
    assert published(out) == published(tmp_path / "clean")


def test_a_new_logo_renders_every_document_that_shows_it_again(mini, tmp_path):
    """The logo is a file beside trust.yaml: trust.yaml unchanged, its bytes alone change the keys."""
    two_schools(mini)
    logo = mini / "brand/logo.svg"
    logo.parent.mkdir()
    logo.write_text('<svg xmlns="http://www.w3.org/2000/svg" width="20" height="10"><rect width="9" height="9"/></svg>')
    trust = mini / "trust.yaml"
    trust.write_text(trust.read_text() + "brand: {logo: {file: brand/logo.svg, alt: Test Trust}}\n")
    out = tmp_path / "out"
    assert run(mini, out).rendered == 2
    assert run(mini, out).rendered == 0
    logo.write_text(logo.read_text().replace('width="9"', 'width="19"'))
    again = run(mini, out)
    assert again.rendered == 2 and again.reused == 0
    shown = re.search(r'src="data:image/svg\+xml;base64,([^"]+)"', (out / "oak-primary/social-media.html").read_text())
    assert base64.b64decode(shown.group(1)) == logo.read_bytes()


def test_the_build_date_counts_only_where_it_shows(mini, tmp_path):
    """Oak's 1.10 is due for review in 2029 (three years): a later date within it changes nothing."""
    out = tmp_path / "out"
    run(mini, out)
    assert run(mini, out, today=TODAY + dt.timedelta(days=30)).rendered == 0
    overdue = run(mini, out, today=dt.date(2035, 1, 1))
    assert overdue.rendered > 0  # "review overdue" now shows on the ratified policy


def test_a_damaged_or_half_written_entry_is_never_reused(mini, tmp_path):
    out = tmp_path / "out"
    run(mini, out)
    before = digest_tree(out)
    entries = sorted(p for p in (out / CACHE_NAME).rglob("*") if p.is_file())
    assert entries
    victim = entries[0]
    victim.unlink()  # unlink first: the entry may share its bytes with a published file
    victim.write_bytes(b"%PDF-1.7 cut short")
    half = victim.parent / f".tmp-{victim.name.split('.')[0]}-999"
    half.write_bytes(b"half")
    again = run(mini, out)
    assert again.rendered == 1 and digest_tree(out) == before


def test_a_partial_build_after_a_model_edit_leaves_the_whole_output_consistent(mini, tmp_path):
    """--school names what must be current; another school's documents whose sources changed
    are rebuilt too, so the output is byte for byte what a full build makes."""
    today = __import__("datetime").date(2026, 11, 22)
    write_tree(mini, {"schools/elm-primary.yaml": SCHOOL.replace("Oak Primary", "Elm Primary")})
    out, whole = tmp_path / "out", tmp_path / "whole"
    build(BuildOptions(mini, out, today, formats=("html",)))
    policy = mini / "policies" / "social-media.yaml"
    policy.write_text(policy.read_text().replace("You must not use social media to:",
                                                 "You must never use social media to:"))
    partial = build(BuildOptions(mini, out, today, formats=("html",), schools=frozenset({"oak-primary"})))
    build(BuildOptions(mini, whole, today, formats=("html",), cache=False))
    assert partial.also_rebuilt >= 1  # Elm Primary's copy changed as well
    elm = (out / "review" / "elm-primary" / "social-media.html")
    page = elm if elm.exists() else out / "elm-primary" / "social-media.html"
    assert "You must never use social media" in page.read_text(encoding="utf-8")
    mine = {k: v for k, v in digest_tree(out).items() if not k.startswith(".policyc")}
    theirs = {k: v for k, v in digest_tree(whole).items() if not k.startswith(".policyc")}
    assert mine == theirs


def test_a_review_pack_built_on_a_later_day_says_so(mini, tmp_path):
    """The pack shows the day it was prepared, so that day is part of its key."""
    import datetime as dt

    from policyc.pipeline import BuildOptions, build
    school = mini / "schools" / "oak-primary.yaml"
    school.write_text(school.read_text().replace("status: ratified", "status: approved"))
    out = tmp_path / "out"
    pack = out / "review" / "oak-primary" / "social-media-review-pack.html"
    build(BuildOptions(mini, out, dt.date(2026, 11, 22), formats=("html",)))
    assert "22 November 2026" in pack.read_text(encoding="utf-8")
    build(BuildOptions(mini, out, dt.date(2026, 11, 23), formats=("html",)))
    assert "23 November 2026" in pack.read_text(encoding="utf-8")


@pytest.mark.slow
def test_a_sibling_ratified_gives_the_pages_that_name_it_their_link(tmp_path):
    """Hollin Bank's photography policy (in force) names its online safety policy, which has
    never been ratified, so its public page shows the words without a link. Once online
    safety is ratified (by the trust board, for every school) the photography page must link to it: its key depends on which of
    its siblings have a public page, not only on its own text."""
    from policyc.cli import main
    src = tmp_path / "src"
    shutil.copytree(EXAMPLE, src)
    out = tmp_path / "out"
    run(src, out)
    page = out / "hollin-bank-primary/photography.html"
    assert 'href="online-safety.html"' not in page.read_text(encoding="utf-8")
    assert main(["ratify", "--source", str(src), "--policy", "online-safety",
                 "--date", "2026-11-20", "--by", "Ann Smith, Chair of Trustees", "--summary", "First version", "--today", "2026-11-22"]) == 0
    run(src, out)
    assert 'href="online-safety.html"' in page.read_text(encoding="utf-8")
    run(src, tmp_path / "clean", cache=False)
    assert published(out) == published(tmp_path / "clean")


@pytest.mark.pdf
def test_a_model_edit_leaves_the_version_in_force_and_its_archive_alone(example_output, tmp_path):
    """Hollin Bank's social media policy 3.2 is in force with no change pending. A model
    edit makes a draft, a redline and a review pack; the public page and PDF of 3.2 and the
    archived versions show nothing of that (public pages never link into the review area),
    so they are reused, and every document rendered is one whose bytes changed.

    The session's build is where it starts (its cache is whole, so the build before the edit
    renders nothing), and what the edit made is compared, for Hollin Bank, with a clean build
    of the edited sources that has Hollin Bank alone: every school's documents come from the
    same functions, so one school shows whether the reuse was right, at a fifth of the cost."""
    src = tmp_path / "src"
    shutil.copytree(EXAMPLE, src)
    out = tmp_path / "out"
    shutil.copytree(example_output, out)
    assert run(src, out, formats=("html", "pdf"), jobs=2).rendered == 0
    before = published(out)
    policy = src / "policies/social-media.yaml"
    text = policy.read_text(encoding="utf-8")
    assert "use these services\n          confidently." in text
    policy.write_text(text.replace("use these services\n          confidently.",
                                   "use these services\n          confidently and well."), encoding="utf-8")
    again = run(src, out, formats=("html", "pdf"), jobs=2)
    after = published(out)
    changed = {p for p in after if before.get(p) != after[p]}
    untouched = {f"hollin-bank-primary/{p}" for p in ("social-media.html", "social-media.pdf",
                                                      "archive/social-media-3.1.pdf", "archive/social-media-3.2.html")}
    assert untouched <= set(before) and not untouched & changed
    site = {"index.html", "dashboard.html", "register.json", "register.csv", "policies-fragment.html",
            "sitemap.xml", "reviews.ics", ".policyc-manifest.json"}
    documents = {p for p in changed if p.rsplit("/", 1)[-1] not in site}
    assert again.rendered == len(documents) > 0
    assert any(p.startswith("review/hollin-bank-primary/") for p in documents)  # the draft, redline and pack
    alone = shutil.copytree(src, tmp_path / "alone")
    for school in (alone / "schools").glob("*.yaml"):
        if school.stem != "hollin-bank-primary":
            school.unlink()
    run(alone, tmp_path / "clean", formats=("html", "pdf"), jobs=2, cache=False)

    def hollin_bank(files: dict[str, str]) -> dict[str, str]:
        return {p: d for p, d in files.items()
                if p.startswith(("hollin-bank-primary/", "review/hollin-bank-primary/")) and not p.endswith(".docx")}
    assert len(hollin_bank(after)) > 10
    assert hollin_bank(after) == hollin_bank(published(tmp_path / "clean"))


def test_a_build_run_from_another_folder_reuses_every_document(mini, tmp_path, monkeypatch):
    """File names in messages are relative to where policyc runs; they never show in a
    document, so they are not part of its key (they were: every document was made again)."""
    out = tmp_path / "out"
    monkeypatch.chdir(mini)
    first = run(Path("."), out)
    monkeypatch.chdir(tmp_path)
    again = run(Path(mini.name), out)
    assert first.rendered > 0 and again.rendered == 0 and again.reused == first.rendered


def test_with_nothing_changed_the_previous_keys_are_taken_and_a_damaged_record_is_ignored(mini, tmp_path,
                                                                                       monkeypatch):
    """keys.json holds the last build's keys with a fingerprint of the sources, toolchain,
    formats and date: with nothing changed no policy is hashed again; with a wrong or
    damaged record every key is computed, and either way the bytes equal a clean build."""
    from policyc.engine import keys as keys_module
    from policyc.engine.cache import KEYS_NAME
    out = tmp_path / "out"
    run(mini, out)
    computed = []
    original = keys_module.KeyMaker.key
    monkeypatch.setattr(keys_module.KeyMaker, "key", lambda self, o: computed.append(o.path) or original(self, o))
    again = run(mini, out)
    assert again.rendered == 0 and computed == []
    record = out / CACHE_NAME / KEYS_NAME
    for damage in ('{"fingerprint": 7', '[]', '{"fingerprint": null, "keys": {"a": 1}}', "\x00" * 10):
        record.write_text(damage, encoding="utf-8")
        again = run(mini, out)
        assert again.rendered == 0 and len(computed) == again.reused > 0
        computed.clear()
    policy = mini / "policies/social-media.yaml"
    policy.write_text(policy.read_text().replace("In person or by email.", "In person, by phone or by email."))
    edited = run(mini, out)
    assert edited.rendered > 0 and computed
    run(mini, tmp_path / "clean", cache=False)
    assert published(out) == published(tmp_path / "clean")


def test_sources_edited_while_they_are_read_leave_no_fingerprint(mini, monkeypatch):
    from policyc import pipeline
    load = pipeline.load_project
    def edit_while_reading(source, problems):
        project = load(source, problems)
        school = source / "schools/oak-primary.yaml"
        school.write_text(school.read_text() + "\n# edited meanwhile\n")
        return project
    assert pipeline.check_all(mini).sources
    monkeypatch.setattr(pipeline, "load_project", edit_while_reading)
    assert pipeline.check_all(mini).sources == ""


def test_keys_swapped_between_two_schools_never_publish_one_schools_policy_as_the_others(mini, tmp_path):
    """A sync tool, a restore or a hand edit swaps two documents' saved keys (or empties the
    record): the seal no longer holds, every key is worked out again, and each school's
    page is its own."""
    import json

    from policyc.engine.cache import KEYS_NAME
    two_schools(mini)
    out = tmp_path / "out"
    run(mini, out)
    clean = published(out)
    record = out / CACHE_NAME / KEYS_NAME
    sealed = json.loads(record.read_text())
    body = json.loads(sealed["body"])
    oak, elm = "oak-primary/social-media.html", "elm-primary/social-media.html"
    body["keys"][oak], body["keys"][elm] = body["keys"][elm], body["keys"][oak]
    record.write_text(json.dumps({"body": json.dumps(body, sort_keys=True), "seal": sealed["seal"]}))
    again = run(mini, out)
    assert again.rendered == 0 and published(out) == clean
    assert "Oak Primary" in (out / oak).read_text() and "Elm Primary" not in (out / oak).read_text()
    record.write_text("")
    assert run(mini, out).rendered == 0 and published(out) == clean


def test_an_entry_replaced_by_other_bytes_named_by_their_own_hash_is_never_reused(mini, tmp_path):
    import hashlib
    two_schools(mini)
    out = tmp_path / "out"
    run(mini, out)
    clean = published(out)
    entries = sorted(p for p in (out / CACHE_NAME).rglob("*.*") if p.parent.name != CACHE_NAME)
    first, second = entries[0], entries[1]
    other = second.read_bytes()
    first.unlink()
    forged = first.with_name(f"{first.name.split('.')[0]}.{hashlib.sha256(other).hexdigest()}")
    forged.write_bytes(other)
    moved = first.with_name(f"{first.name.split('.')[0]}.{second.name.split('.', 1)[1]}")  # another's seal
    again = run(mini, out)
    assert again.rendered == 1 and published(out) == clean
    assert not forged.exists() and not moved.exists()
