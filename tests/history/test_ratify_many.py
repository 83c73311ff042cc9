"""One decision, several schools: ratify --school repeated, --all-schools, and trust-approved policies."""

from __future__ import annotations

import os
import shutil

import pytest

from policyc.errors import UserError
from policyc.history import ratify as ratify_module
from policyc.pipeline import check_all
from tests.helpers import (
    TRUSTEES,
    add_schools,
    digest_tree,
    mounted,
    ratify,
    ratify_schools,
    snapshot_names,
)


def test_a_failure_while_writing_takes_back_the_snapshots_already_written(mini, monkeypatch):
    add_schools(mini)
    histories = check_all(mini).histories
    real, calls = os.replace, []

    def failing(src, dst):
        calls.append(dst)
        if len(calls) == 3:  # the journal and one snapshot in place
            raise OSError("disk full")
        real(src, dst)

    monkeypatch.setattr(os, "replace", failing)
    request = ratify_module.Request(__import__("datetime").date(2026, 11, 20),
                                    (ratify_module.parse_signatory("A B, Chair"),), "x",
                                    __import__("datetime").date(2026, 11, 22))
    with pytest.raises(UserError, match="no school's ratification was recorded"):  # said plainly, not a traceback
        ratify_module.ratify_many(histories, mini, request)
    assert len(calls) == 3
    assert snapshot_names(mini) == []
    assert not [p for p in mini.rglob(".*") if p.is_file()]  # no temporary file or journal left behind
    assert not (mini / "snapshots").exists()  # the folders it made are gone too


def test_unknown_policy_is_a_plain_error(mini, run):
    result = run("ratify", "--source", mini, "--policy", "social-meda", "--all-schools", "--date", "2026-11-20", *TRUSTEES)
    assert result.code != 0 and "did you mean 'social-media'" in result.err and "Traceback" not in result.err
    with pytest.raises(UserError):
        ratify_module.parse_signatory("nobody")


def test_a_snapshot_is_readable_by_colleagues_as_any_file_the_user_makes(mini, run):
    mask = os.umask(0o022)
    try:
        assert ratify(run, mini, "2026-01-10", "First", "--version", "2.0").code == 0
    finally:
        os.umask(mask)
    [snapshot] = (mini / "snapshots").rglob("*.yaml")
    assert snapshot.stat().st_mode & 0o777 == 0o644


def test_ratify_on_a_full_disk_says_so_and_records_nothing(mini, run, tmp_path):
    with mounted(tmp_path / "disk", "-t", "tmpfs", "-o", "size=1m", "tmpfs") as disk:
        src = disk / "src"
        shutil.copytree(mini, src)
        school = (src / "schools" / "oak-primary.yaml").read_bytes()
        stat = os.statvfs(disk)
        with open(disk / "filler", "wb") as filler:  # every block but none
            try:
                filler.write(b"\0" * (stat.f_bavail * stat.f_frsize))
            except OSError:
                pass
        result = ratify(run, src, "2026-01-10", "First", "--version", "2.0")
        assert result.code == 1, result.err
        assert "could not write the snapshot" in result.err and "no school's ratification was recorded" in result.err
        assert "Traceback" not in result.err
        assert not list((src / "snapshots").rglob("*")) if (src / "snapshots").exists() else True
        assert (src / "schools" / "oak-primary.yaml").read_bytes() == school


def _ratify_killed_at_rename(mini, n, *args):
    """`policyc ratify` in a child process that dies outright at its nth rename (as kill -9 would)."""
    from policyc.cli import main
    pid = os.fork()
    if pid == 0:
        calls, real = [], os.replace

        def dying(*a):
            calls.append(a)
            if len(calls) == n:
                os._exit(9)
            return real(*a)
        os.replace = dying
        try:
            with open(os.devnull, "w") as null:
                os.dup2(null.fileno(), 1)
                os.dup2(null.fileno(), 2)
                main(["ratify", "--source", str(mini), "--policy", "social-media", "--today", "2026-11-22", *args])
        finally:
            os._exit(0)
    _, status = os.waitpid(pid, 0)
    return os.waitstatus_to_exitcode(status)


def test_several_schools_killed_between_two_renames_are_all_ratified_by_the_next_command(mini, run, tmp_path):
    add_schools(mini)
    complete = tmp_path / "complete"
    shutil.copytree(mini, complete)
    args = ("--all-schools", "--date", "2026-11-20", *TRUSTEES)
    assert ratify_schools(run, complete, *args).code == 0
    assert _ratify_killed_at_rename(mini, 3, *args) == 9  # the journal and one snapshot in place, the rest not
    assert len(snapshot_names(mini)) == 1
    status = run("status", "--source", mini, "--today", "2026-11-22")
    assert status.code == 0, status.err
    assert "policyc: finished an interrupted ratify of the Staff Social Media Policy for 3 schools" in status.err
    assert snapshot_names(mini) == snapshot_names(complete) and len(snapshot_names(mini)) == 3
    assert digest_tree(mini) == digest_tree(complete)  # the school files and undo records too, byte for byte
    again = run("validate", "--source", mini)
    assert again.code == 0 and "interrupted" not in again.err


def test_a_partial_decision_that_cannot_be_finished_stops_every_command_and_status_says_so(mini, run):
    add_schools(mini)
    assert _ratify_killed_at_rename(mini, 3, "--all-schools", "--date", "2026-11-20", *TRUSTEES) == 9
    for temp in mini.rglob("*.policyc-new"):
        temp.unlink()  # lost, say by a clean-up script
        break
    status = run("status", "--source", mini, "--today", "2026-11-22")
    assert status.code == 1 and "Traceback" not in status.err
    assert "was left part-way and cannot be finished" in status.err and "part-recorded" in status.err
    build = run("build", "--source", mini, "--output", mini.parent / "out", "--today", "2026-11-22")
    assert build.code == 1 and "cannot be finished" in build.err
