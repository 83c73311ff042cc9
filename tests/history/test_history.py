"""Ratification as a recorded event: snapshots, versions, the generated change log, redlines."""

from __future__ import annotations

import re

import pytest

from policyc.history.compare import compare, propose_version
from policyc.pipeline import check_all
from tests.helpers import edit, history, ratify


def test_ratify_writes_a_readable_hashed_snapshot_and_is_a_no_op_the_second_time(mini, run):
    first = ratify(run, mini, "2026-11-20", "Annual review", "--version", "2.0", "--minute", "LGB 2026/11 item 4")
    assert first.code == 0, first.err
    assert "Recorded version 2.0" in first.out
    snapshot = mini / "snapshots" / "oak-primary" / "social-media" / "2.0.yaml"
    text = snapshot.read_text()
    assert text.startswith("# Ratified snapshot")
    assert "minute: LGB 2026/11 item 4" in text and re.search(r"sha256: [0-9a-f]{64}", text)
    assert "text: This policy protects {{ school.name }}" in text  # placeholders kept, values listed
    again = ratify(run, mini, "2026-11-21", "Again")
    assert again.code == 0 and "already records exactly this text; nothing to do" in again.out
    # one snapshot, and beside it what unratify needs to put the school file back
    assert sorted(p.name for p in snapshot.parent.iterdir()) == [".2.0.undo.json", "2.0.yaml"]
    h = history(mini)
    assert h.current.ratification.status == "ratified" and h.current.ratification.version == "2.0"
    assert h.current.ratification.minute == "LGB 2026/11 item 4"
    assert h.current.ratification.next_review.isoformat() == "2027-11-20"


def test_a_hand_edited_snapshot_is_refused_with_its_position(mini, run, tmp_path):
    assert ratify(run, mini, "2026-11-20", "Annual review", "--version", "2.0").code == 0
    snapshot = mini / "snapshots" / "oak-primary" / "social-media" / "2.0.yaml"
    edit(snapshot, "Personal use of social media at work is not allowed.",
         "Personal use of social media at work is allowed.")
    result = run("--source", mini, "--output", tmp_path / "out")
    assert result.code == 1
    line = next(i for i, l in enumerate(snapshot.read_text().splitlines(), 1) if l.startswith("sha256:"))
    assert f"2.0.yaml:{line}:9: this snapshot has been changed since it was made" in result.err
    assert not (tmp_path / "out").exists()


def test_changed_text_awaits_ratification_with_a_proposed_version_and_a_pending_change_row(mini, run):
    assert ratify(run, mini, "2026-01-10", "First", "--version", "2.0").code == 0
    edit(mini / "policies" / "social-media.yaml", "Tell the {{ role.dsl }} at once.",
         "Tell the {{ role.dsl }} the same day.")
    h = history(mini)
    assert h.changed_since.version == "2.0" and h.proposed_version == "2.1"
    assert h.current.in_force == "2.0" and h.current.ratification.status == "draft"
    pending = h.current.history[0]
    assert pending.date is None and pending.paragraphs == "3.1"
    done = ratify(run, mini, "2026-02-01", "Report the same day")
    assert done.code == 0 and "Recorded version 2.1" in done.out and "wording changed (3.1)" in done.out
    rows = [(e.date.isoformat(), e.version, e.paragraphs, e.summary) for e in history(mini).current.history]
    assert rows[:2] == [("2026-02-01", "2.1", "3.1", "Report the same day"),
                        ("2026-01-10", "2.0", "All (first version recorded)", "First")]
    assert rows[2][0] == "2020-09-16"  # legacy rows written as data, merged in date order


@pytest.mark.parametrize("change, expected", [
    ("values", "2.0.1"), ("wording", "2.1"), ("structure", "3.0")])
def test_the_proposed_version_follows_the_kind_of_change(mini, run, change, expected):
    assert ratify(run, mini, "2026-01-10", "First", "--version", "2.0").code == 0
    if change == "values":
        edit(mini / "schools" / "oak-primary.yaml", "name: Jo Bloggs", "name: Sam Lee")
        edit(mini / "policies" / "social-media.yaml", "Tell the {{ role.dsl }}", "Tell {{ holder.dsl }}, the {{ role.dsl }},")
        assert ratify(run, mini, "2026-01-11", "interim", "--version", "2.0.1").code == 0
        edit(mini / "schools" / "oak-primary.yaml", "name: Sam Lee", "name: Kim Roe")
    elif change == "wording":
        edit(mini / "policies" / "social-media.yaml", "In person or by email.", "In person, by phone or by email.")
    else:
        edit(mini / "policies" / "social-media.yaml", "      - id: tell-dsl\n",
             "      - id: keep-notes\n        text: Keep a note of what you saw.\n      - id: tell-dsl\n")
    latest = "2.0.1" if change == "values" else "2.0"
    assert history(mini).changed_since.version == latest
    expected = "2.0.2" if change == "values" else expected
    assert history(mini).proposed_version == expected


def test_ratifying_a_policy_with_errors_is_refused(mini, run):
    edit(mini / "policies" / "social-media.yaml", "{{ school.name }}", "{{ school.nmae }}")
    result = ratify(run, mini, "2026-11-20", "Annual review")
    assert result.code == 1
    assert "unknown placeholder {{ school.nmae }}" in result.err and "Ratification refused." in result.err
    assert not (mini / "snapshots").exists()


def test_propose_version_for_unnumbered_versions_asks_for_one():
    assert propose_version("V1", "wording") == ""
    assert propose_version(None, "first") == "1.0"
    assert propose_version("1.10", "wording") == "1.11"


def test_a_policy_compared_with_itself_has_no_changes(mini):
    [policy] = check_all(mini).policies
    comparison = compare(policy, policy)
    assert not comparison.has_changes and comparison.affected_paragraphs() == "None (no change to the text)"
    assert not comparison.values


@pytest.mark.slow
@pytest.mark.pdf
def test_build_publishes_archive_and_redline_for_a_changed_policy(mini, run, tmp_path):
    assert ratify(run, mini, "2026-01-10", "First", "--version", "2.0").code == 0
    edit(mini / "policies" / "social-media.yaml", "In person or by email.", "In person or by phone.")
    out = tmp_path / "out"
    assert run("--source", mini, "--output", out, "--today", "2026-11-22").code == 0
    school, review = out / "oak-primary", out / "review" / "oak-primary"
    assert (school / "archive" / "social-media-2.0.pdf").is_file()
    # The public page is the version in force; the draft and the redline wait in the review area.
    page = (school / "social-media.html").read_text()
    assert "In person or by email." in page and "In person or by phone." not in page
    assert "changes/" not in page and "review/" not in page and "DRAFT" not in page
    assert 'href="archive/social-media-2.0.html"' in page
    assert not (school / "changes").exists()
    assert (review / "changes" / "social-media-2.0-to-draft.pdf").is_file()
    draft = (review / "social-media.html").read_text()
    assert "In person or by phone." in draft
    assert 'href="changes/social-media-2.0-to-draft.html"' in draft
    assert "Changed since version 2.0 was ratified; awaiting ratification" in draft
    assert 'href="../../oak-primary/assets/policy.css"' in draft
    archived = (school / "archive" / "social-media-2.0.html").read_text()
    assert "In person or by email." in archived and 'href="../social-media.html"' in archived
    assert 'href="../assets/policy.css"' in archived  # the school's own assets: its bundle stands alone


def test_unnumbered_paragraphs_are_named_by_their_section_and_place(mini, run):
    policy = mini / "policies" / "social-media.yaml"
    edit(policy, '    title: Reporting concerns\n', '    title: Reporting concerns\n    number_clauses: false\n')
    assert ratify(run, mini, "2026-01-10", "First", "--version", "2.0").code == 0
    edit(policy, "In person or by email.", "In person, by phone or by email.")
    [pending] = [e for e in history(mini).current.history if e.date is None]
    assert pending.paragraphs == "3 (para 2)"


def test_the_owner_of_a_change_is_recorded_for_the_change_table(mini, run):
    assert ratify(run, mini, "2026-01-10", "First", "--version", "2.0", "--owner", "Priya Shah, HR Manager").code == 0
    [row] = [e for e in history(mini).current.history if e.version == "2.0"]
    assert row.owner == "Priya Shah, HR Manager"
    snapshot = (mini / "snapshots" / "oak-primary" / "social-media" / "2.0.yaml").read_text()
    assert "owner: Priya Shah, HR Manager" in snapshot


def test_a_version_approved_by_committee_is_the_one_ratified(mini, run):
    """With no snapshot yet, an approved text's version (2.0, say) is what the meeting ratifies,
    and its review pack says so; after a hand-recorded ratified 1.10, the next is 1.11."""
    school = mini / "schools" / "oak-primary.yaml"
    edit(school, "status: ratified\n      date: 2026-10-01\n      version: 1.10",
         'status: approved\n      version: "2.0"')
    out = mini.parent / "out"
    assert run("--source", mini, "--output", out, "--format", "html", "--today", "2026-11-22", "-q").code == 0
    pack = (out / "review" / "oak-primary" / "social-media-review-pack.html").read_text(encoding="utf-8")
    assert "Proposed version</th><td>2.0</td>" in pack
    done = ratify(run, mini, "2026-11-20", "Adopted")
    assert done.code == 0 and "Recorded version 2.0" in done.out, done.out + done.err
