"""Redlines and the generated change log over a realistic run of versions.

The Flourish Federation seed (tests/seeds/flourish) is stepped through its own history
(its Appendix 1): the 2017 text lacked the cyberbullying paragraph (now 6.11) and the
social-media-groups paragraph (now 6.5); each was added later and ratified. Clause-level
comparison must name only what changed, in that version's numbering, however much else
was renumbered. Then the redline a governor reads: golden HTML for the mini fixture, the
checks that make it trustworthy without the golden, and the PDF.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pikepdf
import pytest
from pypdf import PdfReader

from policyc.history.attach import find
from policyc.history.compare import compare, walk
from policyc.pipeline import check_all
from policyc.render.redline import build_sections, summary
from policyc.site.review import pick
from tests.helpers import SEEDS, diff, edit, ratify

GOLDEN = Path(__file__).resolve().parent.parent / "golden"
TODAY = ("--today", "2026-11-22")
SCHOOL, POLICY = "flourish-federation", "social-media"


# --- helpers ------------------------------------------------------------------------

def cut_clause(path: Path, clause_id: str) -> str:
    """Remove a top-level clause of a section (6-space list item) from a policy file; return its lines."""
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    start = lines.index(f"      - id: {clause_id}\n")
    end = start + 1
    while end < len(lines) and lines[end].strip() and not lines[end].startswith("      - ") \
            and len(lines[end]) - len(lines[end].lstrip()) > 6:
        end += 1
    block = "".join(lines[start:end])
    path.write_text("".join(lines[:start] + lines[end:]), encoding="utf-8")
    return block


def paste_before(path: Path, marker: str, block: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(marker) == 1, marker
    path.write_text(text.replace(marker, block + marker), encoding="utf-8")


def flourish_ratify(run, src: Path, date: str, summary_text: str, *extra: str):
    result = run("ratify", "--source", src, "--school", SCHOOL, "--policy", POLICY, *TODAY, "--date", date,
                 "--by", "Robert Paul, Chair of Governors", "--summary", summary_text, *extra)
    assert result.code == 0, result.err
    return result


def flourish_history(src: Path):
    return find(check_all(src).histories, SCHOOL, POLICY)


def log_rows(src: Path) -> dict[str, tuple[str, str]]:
    """version -> (date, paragraphs) for every generated row of the table of changes."""
    return {e.version: (e.date.isoformat(), e.paragraphs)
            for e in flourish_history(src).current.history if e.version}


def numbers(policy) -> dict[str, str]:
    return {b.id: b.number for p in policy.parts for b in walk(p.blocks)}


def redline_text(html: str) -> str:
    """The marked-up policy, without the summary (whose key shows <ins> and <del> as examples)."""
    return html[html.index('<section class="redline-text"'):]


def clause_divs(html: str) -> list[str]:
    return re.findall(r'<div class="redline-clause[^"]*">.*?</div>', redline_text(html), re.S)


def clause_with(html: str, words: str) -> str:
    [div] = [d for d in clause_divs(html) if words in d]
    return div


# --- the Flourish history --------------------------------------------------------------

@pytest.fixture
def flourish(tmp_path: Path) -> Path:
    return shutil.copytree(SEEDS / "flourish", tmp_path / "flourish")


@pytest.mark.slow
def test_flourish_history_gives_a_change_log_naming_only_what_changed(flourish, run, tmp_path):
    policy_file = flourish / "policies" / "social-media.yaml"
    original = numbers(flourish_history(flourish).current)
    assert (original["social-media-groups"], original["cyberbullying"]) == ("6.5", "6.11")

    # 2017: the text before the groups paragraph (6.5) and the cyberbullying paragraph (6.11).
    groups = cut_clause(policy_file, "social-media-groups")
    cyberbullying = cut_clause(policy_file, "cyberbullying")
    result = flourish_ratify(run, flourish, "2017-03-01",
                             "New formatting due to launch of new HR website, HR InfoSpace", "--version", "1.0")
    assert "Recorded version 1.0" in result.out and "first recorded version" in result.out
    assert numbers(flourish_history(flourish).current)["pupil-sites"] == "6.9"

    # August 2017: the cyberbullying paragraph, added at the end of section 6, is 6.10 then.
    paste_before(policy_file, "\n  - id: monitoring\n", cyberbullying)
    assert numbers(flourish_history(flourish).current)["cyberbullying"] == "6.10"
    result = flourish_ratify(run, flourish, "2017-08-15", "Advice when a parent writes defamatory comments")
    assert "Recorded version 2.0" in result.out and "clauses added or removed (6.10 (new))" in result.out
    assert log_rows(flourish)["2.0"] == ("2017-08-15", "6.10 (new)")

    # 2020: the groups paragraph back after 6.4 is 6.5; cyberbullying becomes 6.11, renumbered only.
    paste_before(policy_file, "      - id: photographs\n", groups)
    now = numbers(flourish_history(flourish).current)
    assert now == original
    flourish_ratify(run, flourish, "2020-09-16", "Posts in social media groups that refer to the school")
    assert log_rows(flourish)["3.0"] == ("2020-09-16", "6.5 (new)")
    snaps = {s.version: s.policy for s in flourish_history(flourish).snapshots}
    cyber = compare(snaps["2.0"], snaps["3.0"]).clauses["cyberbullying"]
    assert (cyber.old_number, cyber.new_number, cyber.renumbered, cyber.affected) == ("6.10", "6.11", True, False)

    # A wording change: one sentence of 7.1.
    edit(policy_file, "the school has carried out to ensure that monitoring is necessary and proportionate.",
         "the school has carried out and reviews every year, to ensure that monitoring is necessary and "
         "proportionate.")
    result = flourish_ratify(run, flourish, "2021-11-10", "Impact assessments reviewed every year")
    assert "Recorded version 3.1" in result.out and "wording changed (7.1)" in result.out
    assert log_rows(flourish)["3.1"] == ("2021-11-10", "7.1")

    # A move: the HR advice paragraph (7.3) to the end of section 6.
    hr_advice = cut_clause(policy_file, "hr-advice")
    paste_before(policy_file, "\n  - id: monitoring\n", hr_advice)
    flourish_ratify(run, flourish, "2022-09-20", "HR advice moved to the social media section")
    assert log_rows(flourish)["3.2"] == ("2022-09-20", "6.12 (moved from 7.3)")

    # A removal: 6.3 (communication boundaries); everything after it in section 6 moves up one.
    cut_clause(policy_file, "communication-boundaries")
    result = flourish_ratify(run, flourish, "2023-09-19", "Boundaries now in the Staff Code of Conduct")
    assert "Recorded version 4.0" in result.out
    assert log_rows(flourish)["4.0"] == ("2023-09-19", "6.3 removed")

    # A detail only: the school's title for its DSL, used in the text of 7.5.
    edit(flourish / "schools" / "flourish-federation.yaml", "dsl: {title: designated senior professional}",
         "dsl: {title: Designated Safeguarding Lead}")
    result = flourish_ratify(run, flourish, "2024-09-17", "New title for the DSL")
    assert "Recorded version 4.0.1" in result.out and "school details changed only" in result.out
    assert log_rows(flourish)["4.0.1"] == ("2024-09-17", "None (no change to the text)")
    assert log_rows(flourish)["1.0"] == ("2017-03-01", "All (first version recorded)")
    assert [r.version for r in flourish_history(flourish).current.history if r.version] == \
        ["4.0.1", "4.0", "3.2", "3.1", "3.0", "2.0", "1.0"]

    # The redline between the first and the last version, as the governors read it.
    checked = check_all(flourish)
    h = find(checked.histories, SCHOOL, POLICY)
    old, new = pick(checked.project, h, "1.0"), pick(checked.project, h, "latest")
    assert not old.draft and not new.draft
    assert old.label == "version 1.0 (ratified 1 March 2017)"
    comparison = compare(old.policy, new.policy)
    assert summary(comparison, old.label, new.label) == [
        "1 paragraph with changed wording: 7.1",
        "2 paragraphs added: 6.4, 6.10",
        "1 paragraph removed: 6.3 in version 1.0 (ratified 1 March 2017)",
        "1 paragraph moved: 7.3 is now 6.11",
        "4 paragraphs renumbered only, with no change to the words (for example 6.4 is now 6.3)",
        "The title of a role changed from ‘designated senior professional’ to "
        "‘Designated Safeguarding Lead’ (the text shows the new value, unmarked)",
    ]
    assert comparison.affected_paragraphs() == "6.4 (new); 6.10 (new); 6.11 (moved from 7.3); 7.1; 6.3 removed"

    # The same redline from the command line: the placeholder-only paragraph (7.5) shows the
    # new title, unmarked.
    out = tmp_path / "out"
    result = run("diff", "--source", flourish, "--output", out, "--school", SCHOOL, "--policy", POLICY,
                 "--from", "1.0", "--to", "4.0.1", "--format", "html", *TODAY)
    assert result.code == 0, result.err
    html = (out / "review" / SCHOOL / "changes" / "social-media-1.0-to-4.0.1.html").read_text(encoding="utf-8")
    detail = clause_with(html, "referral may be made to the")
    assert "Designated Safeguarding Lead" in detail and "designated senior professional" not in detail
    assert "<ins>" not in detail and "<del>" not in detail
    assert '<span class="num">7.5</span>' in detail
    assert "‘designated senior professional’ to ‘Designated Safeguarding Lead’" in html
    reworded = clause_with(html, "Where the school believe unauthorised use")
    assert "and reviews every year," in re.sub(r"<[^>]+>", "", reworded) and "<ins>" in reworded
    assert 'class="watermark"' not in html


# --- the mini redline --------------------------------------------------------------------

MINI_EDITS = [
    # one new clause at the top of section 1: every clause of section 1 renumbers
    ("      - id: purpose\n",
     "      - id: scope\n        text: This policy applies to all {{ term.staff }} and volunteers.\n"
     "      - id: purpose\n"),
    # one reworded clause (1.3 before and after)
    ('text: "You must not use social media to:"', 'text: "You must never use social media to:"'),
    # one removed clause (1.4)
    ("      - id: eyfs\n        phases: [nursery, primary]\n"
     "        text: Photographs in learning journals are taken on school devices only.\n", ""),
]


def edit_mini(mini: Path) -> None:
    policy = mini / "policies" / "social-media.yaml"
    for old, new in MINI_EDITS:
        edit(policy, old, new)
    # one moved clause: personal use goes from 1.2 to the top of section 2
    personal = cut_clause(policy, "personal-use")
    paste_before(policy, "      - id: golden\n", personal)
    # one changed placeholder value: the school's title for its DSL, used in 3.1
    edit(mini / "schools" / "oak-primary.yaml", "dsl: {name: Jo Bloggs}",
         "dsl: {title: Safeguarding Lead, name: Jo Bloggs}")


def test_golden_redline_for_the_mini_policy(mini, run, tmp_path, update_golden):
    assert ratify(run, mini, "2026-01-10", "First", "--version", "2.0").code == 0
    edit_mini(mini)
    out = tmp_path / "out"
    path = diff(run, mini, out, "2.0", "draft", "html")
    assert path == out / "review" / "oak-primary" / "changes" / "social-media-2.0-to-draft.html"
    html = path.read_text(encoding="utf-8")

    golden = GOLDEN / "redline-mini.html"
    if update_golden or not golden.exists():
        golden.write_text(html, encoding="utf-8")
    assert html == golden.read_text(encoding="utf-8"), "run pytest --update-golden after an intended change"

    # Independently of the golden file:
    [h] = check_all(mini).histories
    comparison = compare(h.snapshots[-1].policy, h.current)
    assert comparison.affected_paragraphs() == "1.1 (new); 1.3; 2.1 (moved from 1.2); 1.4 removed"
    renumbered = {c.id for c in comparison.renumbered_only}
    assert renumbered == {"purpose", "golden"}
    divs = clause_divs(html)
    for words in ("This policy protects Oak Primary School", "An individual is under a duty to:"):
        div = clause_with(html, words)
        assert "<ins>" not in div and "<del>" not in div, div
    assert '<span class="num">1.2</span>' in clause_with(html, "This policy protects Oak Primary School")
    assert '<span class="num">2.2</span>' in clause_with(html, "An individual is under a duty to:")

    moved = [d for d in divs if "Moved from" in d]
    assert len(moved) == 1 and "Personal use of social media at work is not allowed." in moved[0]
    assert "Moved from 1.2" in moved[0] and '<span class="num">2.1</span>' in moved[0]
    assert html.count("Personal use of social media at work is not allowed.") == 1

    removed = "Photographs in learning journals are taken on school devices only."
    assert html.count(removed) == 1
    assert re.search(r"<del>(?:(?!</del>).)*" + re.escape(removed) + r"(?:(?!</del>).)*</del>", html, re.S)
    assert "Removed (was 1.4)" in clause_with(html, removed)

    added = clause_with(html, "applies to all staff and volunteers")
    assert "New paragraph" in added and "<ins>" in added and '<span class="num">1.1</span>' in added
    reworded = clause_with(html, "use social media to:")
    assert "Wording changed" in reworded and "<del>" in reworded and "<ins>" in reworded

    text = redline_text(html)
    inserted = re.findall(r"<ins>(.*?)</ins>", text, re.S)
    deleted = re.findall(r"<del>(.*?)</del>", text, re.S)
    assert inserted and deleted
    assert all(i.startswith('<span class="visually-hidden">[inserted: </span>') for i in inserted), inserted
    assert all(d.startswith('<span class="visually-hidden">[deleted: </span>') for d in deleted), deleted
    assert all(x.endswith('<span class="visually-hidden">]</span>') for x in inserted + deleted)

    # The placeholder-only clause (3.1) is listed as a changed detail, unmarked, in an unchanged section.
    assert ("The title of a role changed from ‘Designated Safeguarding Lead’ to ‘Safeguarding Lead’ "
            "(the text shows the new value, unmarked)") in html
    tell = clause_with(html, "at once.")
    assert "Tell the Safeguarding Lead at once." in tell and "<ins>" not in tell and "<del>" not in tell
    sections = {s.id: s.changed for s in build_sections(comparison)}
    assert sections == {"about": True, "principles": True, "reporting": False, "changes": False}
    details = re.findall(r'<details class="part unchanged" id="([^"]+)">(.*?)</details>', html, re.S)
    assert [d[0] for d in details] == ["reporting", "changes"]
    assert "Tell the Safeguarding Lead at once." in details[0][1]
    assert all("<ins>" not in d[1] and "<del>" not in d[1] for d in details)

    # Against the draft: a DRAFT watermark. Between two ratified versions: none.
    assert '<div class="watermark" aria-hidden="true">DRAFT</div>' in html
    assert 'class="redline not-final"' in html and "has not been ratified" in html
    assert ratify(run, mini, "2026-02-01", "Annual review").code == 0
    final = diff(run, mini, out, "2.0", "3.0", "html").read_text(encoding="utf-8")
    assert "DRAFT" not in final and "not-final" not in final and "has not been ratified" not in final
    assert redline_text(final) == redline_text(html).replace("the current text", "version 3.0 (ratified 1 February 2026)")


@pytest.mark.slow
@pytest.mark.pdf
def test_pdf_redline_announces_changes_and_is_marked_draft_on_every_page(mini, run, tmp_path):
    assert ratify(run, mini, "2026-01-10", "First", "--version", "2.0").code == 0
    edit_mini(mini)
    path = diff(run, mini, tmp_path / "out", "2.0", "draft", "pdf")
    assert path.suffix == ".pdf"
    pages = [page.extract_text() for page in PdfReader(path).pages]
    text = "\n".join(pages)
    # On paper the marks are underline and strike-through, with no "[inserted: …]" printed;
    # read aloud (the tagged text), each says what it is.
    assert "inserted:" not in text and "deleted:" not in text
    with pikepdf.open(path) as pdf:
        said = [str(o.ActualText) for o in pdf.objects if isinstance(o, pikepdf.Dictionary) and "/ActualText" in o]
    assert any(s.startswith("[inserted: ") for s in said) and any(s.startswith("[deleted: ") for s in said)
    assert all("DRAFT" in page for page in pages)
    assert "Photographs in learning journals" in text  # the removed clause is shown, struck through


def test_a_new_role_holder_or_approving_body_is_a_changed_detail_not_a_wording_change(mini, run, tmp_path):
    edit(mini / "policies" / "social-media.yaml", "Tell the {{ role.dsl }} at once.",
         "Tell {{ holder.dsl }}, the {{ role.dsl }}, at once; the {{ body.name }} is told each term.")
    assert ratify(run, mini, "2026-01-10", "First", "--version", "2.0").code == 0
    school = mini / "schools" / "oak-primary.yaml"
    edit(school, "name: Jo Bloggs", "name: Sam Lee")
    edit(school, "phase: primary\n", "phase: primary\napproving_body: Board of Governors\n")
    [h] = check_all(mini).histories
    comparison = compare(h.snapshots[-1].policy, h.current)
    assert not [c for c in comparison.clauses.values() if c.affected]
    assert comparison.affected_paragraphs() == "None (no change to the text)"
    assert h.proposed_version == "2.0.1"
    lines = summary(comparison, "version 2.0", "the current text")
    assert lines[:4] == ["No paragraphs with changed wording", "No paragraphs added", "No paragraphs removed",
                         "No paragraphs moved"]
    assert lines[4:] == [
        "The approving body's name changed from ‘Local Governing Body’ to ‘Board of Governors’ "
        "(the text shows the new value, unmarked)",
        "The name of the Designated Safeguarding Lead changed from ‘Jo Bloggs’ to ‘Sam Lee’ "
        "(the text shows the new value, unmarked)",
    ]
    html = diff(run, mini, tmp_path / "out", "2.0", "draft", "html").read_text(encoding="utf-8")
    tell = clause_with(html, "at once;")
    assert "Tell Sam Lee, the Designated Safeguarding Lead, at once; the Board of Governors is told each term." in tell
    assert "Jo Bloggs" not in tell and "<ins>" not in redline_text(html) and "<del>" not in redline_text(html)


def test_lettered_and_bulleted_items_are_real_lists(mini, run, tmp_path):
    assert ratify(run, mini, "2026-01-10", "First", "--version", "2.0").code == 0
    edit_mini(mini)
    html = diff(run, mini, tmp_path / "out", "2.0", "draft", "html").read_text(encoding="utf-8")
    reworded = clause_with(html, "use social media to:")
    assert "<br>" not in redline_text(html)
    # the space after a marker is inside its box, so a wrapped line starts under the first line's text
    assert re.search(r'use social media to:</p>\s*<ol class="lettered"><li><span class="marker">\(a\)&nbsp;</span>breach '
                     r'our ICT policies;</li><li><span class="marker">\(b\)&nbsp;</span>breach', reworded), reworded
    golden = clause_with(html, "An individual is under a duty to:")
    assert '<ul class="bulleted"><li><span class="marker" aria-hidden="true">•&nbsp;</span>Maintain' in golden
