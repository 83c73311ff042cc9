"""`policyc ratify`, `unratify`, `versions` and `diff` (policyc/cli/history.py): what each says and
refuses, `ratify --amend` correcting the record of the latest ratification (the old one kept), and
one decision for several schools."""

from __future__ import annotations

import io

import yaml

from policyc.history.snapshot import digest
from policyc.pipeline import check_all
from tests.helpers import (
    EXAMPLE,
    RATIFY,
    TRUSTEES,
    add_schools,
    edit,
    history,
    make_trust_approved,
    ratify,
    ratify_schools,
    snapshot_names,
)


def _amend(run, src, *extra):
    return run(*RATIFY, "--source", src, "--amend", *extra)


def _snapshot(src):
    [path] = (src / "snapshots" / "oak-primary" / "social-media").glob("*.yaml")
    return path, yaml.safe_load(path.read_text())


def test_a_misspelt_signatory_is_corrected_and_the_record_as_it_was_is_kept(mini, run, tmp_path):
    assert ratify(run, mini, "2026-11-20", "First", "--version", "2.0", "--minute", "LGB 11/4").code == 0
    path, before = _snapshot(mini)
    done = _amend(run, mini, "--by", "Anne Chair, Chair of Governors", "--reason", "Her name is Anne", "--yes")
    assert done.code == 0, done.err
    assert "signatories: Ann Chair, Chair of Governors → Anne Chair, Chair of Governors" in done.out
    _, after = _snapshot(mini)
    assert after["signatories"] == [{"name": "Anne Chair", "role": "Chair of Governors"}]
    assert after["content"] == before["content"]  # the text approved is never touched
    assert (after["date"], after["minute"], after["version"]) == (before["date"], before["minute"], "2.0")
    [entry] = after["amendments"]
    assert entry["reason"] == "Her name is Anne"
    assert entry["was"] == {"signatories": before["signatories"]}
    assert after["sha256"] == digest({k: v for k, v in after.items() if k != "sha256"})
    record = history(mini).snapshots[-1].policy.ratification
    assert [s.name for s in record.signatories] == ["Anne Chair"]
    out = tmp_path / "out"
    assert run("--source", mini, "--output", out, "--format", "html", "-q").code == 0
    page = (out / "oak-primary" / "social-media.html").read_text()
    assert "Anne Chair" in page and "Ann Chair" not in page.replace("Anne Chair", "")


def test_a_corrected_date_moves_the_next_review_worked_out_from_it(mini, run):
    assert ratify(run, mini, "2026-11-20", "First", "--version", "2.0").code == 0
    _, before = _snapshot(mini)
    assert _amend(run, mini, "--date", "2026-11-19", "--reason", "The meeting was on the 19th", "--yes").code == 0
    _, after = _snapshot(mini)
    assert after["date"] == "2026-11-19"
    assert after["next_review"] != before["next_review"] and after["next_review"].endswith("-11-19")
    assert after["amendments"][0]["was"]["date"] == "2026-11-20"


def test_a_hand_edit_of_an_amended_snapshot_is_still_refused(mini, run):
    assert ratify(run, mini, "2026-11-20", "First", "--version", "2.0").code == 0
    assert _amend(run, mini, "--minute", "LGB 11/5", "--reason", "Wrong item", "--yes").code == 0
    path, _ = _snapshot(mini)
    path.write_text(path.read_text().replace("reason: Wrong item", "reason: Nothing"))
    result = run("validate", "--source", mini)
    assert result.code == 1 and "no longer matches its sha256" in result.err


def test_amend_asks_first_and_refuses_what_it_cannot_do(mini, run, monkeypatch):
    assert _amend(run, mini, "--minute", "x", "--reason", "r", "--yes").code == 2  # nothing ratified yet
    assert ratify(run, mini, "2026-11-20", "First", "--version", "2.0", "--minute", "LGB 11/4").code == 0
    path, _ = _snapshot(mini)
    kept = path.read_bytes()
    no_terminal = _amend(run, mini, "--minute", "LGB 11/5", "--reason", "Wrong item")
    assert no_terminal.code == 2 and "--yes" in no_terminal.err
    same = _amend(run, mini, "--minute", "LGB 11/4", "--reason", "r", "--yes")
    assert same.code == 2 and "nothing to correct" in same.err
    assert _amend(run, mini, "--minute", "LGB 11/5", "--yes").code == 2  # no reason
    assert _amend(run, mini, "--minute", "LGB 11/5", "--reason", "r", "--version", "3.0", "--yes").code == 2
    assert _amend(run, mini, "--date", "2027-01-01", "--reason", "r", "--yes").code == 2  # in the future
    monkeypatch.setattr("sys.stdin", _Terminal("n\n"))
    declined = _amend(run, mini, "--minute", "LGB 11/5", "--reason", "Wrong item")
    assert declined.code == 0 and "Nothing was changed." in declined.out
    assert path.read_bytes() == kept
    monkeypatch.setattr("sys.stdin", _Terminal("y\n"))
    assert _amend(run, mini, "--minute", "LGB 11/5", "--reason", "Wrong item").code == 0
    assert yaml.safe_load(path.read_text())["minute"] == "LGB 11/5"


def test_ratify_without_a_date_or_signatory_is_a_command_line_mistake(mini, run):
    missing_date = run(*RATIFY, "--source", mini, "--by", "Ann Chair, Chair of Governors", "--summary", "s")
    assert missing_date.code == 2 and "--date" in missing_date.err
    missing_by = run(*RATIFY, "--source", mini, "--date", "2026-11-20", "--summary", "s")
    assert missing_by.code == 2 and "--by" in missing_by.err


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


UNRATIFY = ("unratify", "--school", "oak-primary", "--policy", "social-media")


def test_unratify_takes_back_todays_ratification_and_the_school_record_it_changed(mini, run):
    school = mini / "schools" / "oak-primary.yaml"
    before = school.read_text()
    assert ratify(run, mini, "2026-11-20", "First", "--version", "2.0").code == 0
    assert school.read_text() != before  # ratify settled the school's own record
    folder = mini / "snapshots" / "oak-primary" / "social-media"
    assert [p.name for p in folder.glob("*.yaml")] == ["2.0.yaml"]
    done = run(*UNRATIFY, "--source", mini, "--today", "2026-11-23", "--yes")
    assert done.code == 0, done.err
    assert "Removed" in done.out and "Put back" in done.out
    assert list(folder.iterdir()) == [] and school.read_text() == before
    assert run("validate", "--source", mini).code == 0


def test_unratify_refuses_an_old_ratification_and_asks_first(mini, run, monkeypatch):
    assert run(*UNRATIFY, "--source", mini, "--yes").code == 2  # nothing ratified
    assert ratify(run, mini, "2026-11-20", "First", "--version", "2.0").code == 0
    [path] = (mini / "snapshots" / "oak-primary" / "social-media").glob("*.yaml")
    late = run(*UNRATIFY, "--source", mini, "--today", "2026-11-25", "--yes")
    assert late.code == 2 and "recorded on 2026-11-22" in late.err and "--amend" in late.err
    assert run(*UNRATIFY, "--source", mini, "--today", "2026-11-22").code == 2  # no terminal, no --yes
    monkeypatch.setattr("sys.stdin", _Terminal("no\n"))
    assert run(*UNRATIFY, "--source", mini, "--today", "2026-11-22").code == 0 and path.is_file()
    school = mini / "schools" / "oak-primary.yaml"
    school.write_text(school.read_text() + "# edited since\n")
    monkeypatch.setattr("sys.stdin", _Terminal("y\n"))
    done = run(*UNRATIFY, "--source", mini, "--today", "2026-11-22")
    assert done.code == 0 and not path.exists()
    assert "has changed since the ratification, so it is left as it is" in done.out
    assert school.read_text().endswith("# edited since\n")


# --- what ratify refuses, and diff ---------------------------------------------------------------

def test_ratify_refuses_a_future_date_and_a_version_that_exists(mini, run):
    assert "is in the future" in ratify(run, mini, "2027-01-01", "x").err
    assert ratify(run, mini, "2026-01-10", "First", "--version", "2.0").code == 0
    edit(mini / "policies" / "social-media.yaml", "In person or by email.", "In person.")
    result = ratify(run, mini, "2026-01-11", "x", "--version", "2.0")
    assert result.code == 2 and "version 2.0 already exists; the versions are: 2.0" in result.err
    result = ratify(run, mini, "2025-01-11", "x")
    assert result.code == 2 and "is before the last ratification" in result.err


def test_diff_for_a_missing_version_lists_the_versions(mini, run, tmp_path):
    assert ratify(run, mini, "2026-01-10", "First", "--version", "2.0").code == 0
    result = run("diff", "--source", mini, "--output", tmp_path / "out", "--school", "oak-primary",
                 "--policy", "social-media", "--from", "1.9", "--to", "draft")
    assert result.code == 2
    assert "there is no version '1.9' of this policy; the versions are: 2.0, draft, model" in result.err


def test_diff_writes_a_redline_whose_stylesheet_is_in_the_schools_bundle(mini, run, tmp_path):
    assert ratify(run, mini, "2026-01-10", "First", "--version", "2.0").code == 0
    edit(mini / "policies" / "social-media.yaml", "In person or by email.", "In person or by phone.")
    out = tmp_path / "out"
    result = run("diff", "--source", mini, "--output", out, "--school", "oak-primary", "--policy", "social-media",
                 "--from", "2.0", "--format", "html")
    assert result.code == 0, result.err
    page = out / "review" / "oak-primary" / "changes" / "social-media-2.0-to-draft.html"
    assert 'href="../../../oak-primary/assets/policy.css"' in page.read_text()
    assert (page.parent / "../../../oak-primary/assets/policy.css").resolve().is_file()


# --- one decision, several schools: --school repeated, --all-schools, trust-approved policies ------

def test_a_trust_approved_policy_is_one_decision_for_every_school(mini, run):
    schools = add_schools(mini)
    make_trust_approved(mini)
    done = ratify_schools(run, mini, "--date", "2026-11-20", *TRUSTEES, "--minute", "TB 2026/11 item 3", "--version", "3.0")
    assert done.code == 0, done.err
    assert snapshot_names(mini) == [f"{s}/social-media/3.0.yaml" for s in schools]
    for h in check_all(mini).histories:
        r = h.current.ratification
        assert (r.status, r.version, r.date.isoformat(), r.minute, r.body) == \
            ("ratified", "3.0", "2026-11-20", "TB 2026/11 item 3", "Board of Trustees")
        assert [(s.name, s.role) for s in r.signatories] == [("Ann Chair", "Chair of Trustees")]
    assert done.out.rstrip().endswith("--school ash-special --school elm-secondary --school oak-primary")

    wrong = ratify_schools(run, mini, "--school", "oak-primary", "--date", "2026-11-21", *TRUSTEES)
    assert wrong.code == 2 and "Traceback" not in wrong.err
    assert "approved by the Board of Trustees once for every school that has it (3)" in wrong.err
    assert "ratify it without --school" in wrong.err


def test_several_schools_or_all_of_them_in_one_run(mini, run):
    add_schools(mini)
    two = ratify_schools(run, mini, "--school", "oak-primary", "--school", "elm-secondary", "--date", "2026-11-20", *TRUSTEES)
    assert two.code == 0, two.err
    assert snapshot_names(mini) == ["elm-secondary/social-media/1.0.yaml", "oak-primary/social-media/1.11.yaml"]
    bodies = {h.current.school_slug: h.current.ratification.body for h in check_all(mini).histories}
    assert bodies["oak-primary"] != "Board of Trustees"  # each school's own body
    every = ratify_schools(run, mini, "--all-schools", "--date", "2026-11-21", *TRUSTEES)
    assert every.code == 0, every.err
    assert "Oak Primary School: Version 1.11" in every.out and "nothing to do" in every.out
    assert "ash-special/social-media/4.1.yaml" in snapshot_names(mini)
    assert every.out.rstrip().endswith("--school ash-special")  # only the school that changed needs a build

    nobody = ratify_schools(run, mini, "--date", "2026-11-21", *TRUSTEES)
    assert nobody.code == 2 and "approved by each school's own governing body" in nobody.err
    both = ratify_schools(run, mini, "--all-schools", "--school", "oak-primary", "--date", "2026-11-21", *TRUSTEES)
    assert both.code == 2 and "not both" in both.err
    unknown = ratify_schools(run, mini, "--school", "oak-primry", "--date", "2026-11-21", *TRUSTEES)
    assert unknown.code != 0 and "did you mean 'oak-primary'" in unknown.err and "Traceback" not in unknown.err


def test_a_mistake_for_one_school_records_no_school(mini, run):
    add_schools(mini)
    assert ratify_schools(run, mini, "--school", "ash-special", "--date", "2026-05-01", *TRUSTEES).code == 0
    edit(mini / "policies" / "social-media.yaml", "In person or by email.", "In person or by phone.")
    before = snapshot_names(mini)
    failed = ratify_schools(run, mini, "--all-schools", "--date", "2026-03-01", *TRUSTEES)
    assert failed.code == 2
    assert "Ash Special School (ash-special): the ratification date 2026-03-01 is before the last" in failed.err
    assert "No school's ratification was recorded." in failed.err
    assert snapshot_names(mini) == before


# --- ratify brings the school's own record up to date -----------------------------------------

def test_ratify_rewrites_the_school_records_block_it_makes_obsolete_and_nothing_else(mini, run, monkeypatch):
    monkeypatch.chdir(mini)  # the files named as the user sees them from there
    school = mini / "schools" / "oak-primary.yaml"
    school.write_text(school.read_text().replace("phase: primary", "phase: primary  # our note")
                      .replace("      status: ratified\n", "      status: draft\n      meeting: 2026-11-20\n")
                      .replace("      date: 2026-10-01\n", "").replace(
                          "      signatories: [{name: Ann Chair, role: Chair of Governors}]\n", ""))
    assert run("validate").code == 0
    done = run("ratify", "--policy", "social-media", "--school", "oak-primary", "--date", "2026-11-20",
               "--summary", "Review", "--by", "Ann Chair, Chair of Governors", "--minute", "LGB 11/26",
               "--today", "2026-11-22")
    assert done.code == 0, done.err
    assert "Updated schools/oak-primary.yaml: its record of social-media now says ratified on 2026-11-20, " \
           "version 1.10\n" in done.out
    assert school.read_text() == (
        "name: Oak Primary School\nphase: primary  # our note\nroles: {dsl: {name: Jo Bloggs}}\npolicies:\n"
        "  social-media:\n    options: {personal_use: forbidden}\n    ratification:\n      status: ratified\n"
        '      date: 2026-11-20\n      minute: "LGB 11/26"\n      version: "1.10"\n      signatories:\n'
        '        - {name: "Ann Chair", role: "Chair of Governors"}\n')
    assert run("validate").code == 0


# --- versions ------------------------------------------------------------------------------------

def test_versions_lists_the_period_each_was_in_force(run):
    result = run("versions", "--source", str(EXAMPLE), "--school", "hollin-bank-primary", "--policy", "social-media")
    assert "[in force from 8 October 2025 to 13 October 2026]" in result.out
    assert "[in force from 14 October 2026 to now]" in result.out
