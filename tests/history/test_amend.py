"""`ratify --amend`: the record of the latest ratification corrected, the old one kept."""

from __future__ import annotations

import io

import yaml

from policyc.history.snapshot import digest
from tests.helpers import RATIFY, history, ratify


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
