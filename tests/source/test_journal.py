"""Source files written all or none: a publish killed at each step is finished or taken back."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from policyc.cli.common import recovery_words
from policyc.engine.keys import source_digest
from policyc.source import journal
from policyc.source.journal import JOURNAL, Write, publish, recover
from tests.helpers import digest_tree, write_tree


def _tree(tmp_path: Path) -> Path:
    return write_tree(tmp_path / "src", {"trust.yaml": "name: T\n", "schools/a.yaml": "a: 1\n", "schools/b.yaml": "b: 1\n"})


def _writes(src: Path) -> list[Write]:
    return [Write(src / "snapshots" / "a" / "p" / "1.0.yaml", b"snap a\n"),
            Write(src / "snapshots" / "b" / "p" / "1.0.yaml", b"snap b\n"),
            Write(src / "schools" / "a.yaml", b"a: 2\n", b"a: 1\n"),
            Write(src / "schools" / "b.yaml", b"b: 2\n", b"b: 1\n")]


def _killed_at_replace(src: Path, n: int) -> None:
    """Publish in a child process that dies outright (no finally, no clean-up) at its nth rename
    or removal: the first publishes the journal, the next four the files, the sixth removes it."""
    pid = os.fork()
    if pid == 0:  # the child: never returns into pytest
        calls = []

        def dying(real):
            def call(*args):
                calls.append(args)
                if len(calls) == n:
                    os._exit(9)
                return real(*args)
            return call
        os.replace, os.unlink = dying(os.replace), dying(os.unlink)
        try:
            publish(src, _writes(src), "ratify of the Test Policy for 2 schools")
        finally:
            os._exit(0)
    _, status = os.waitpid(pid, 0)
    assert os.waitstatus_to_exitcode(status) == 9


def _after(tmp_path: Path) -> dict[str, str]:
    done = _tree(tmp_path / "complete")
    publish(done, _writes(done), "ratify")
    return digest_tree(done)


def test_a_publish_writes_every_file_and_leaves_nothing_else(tmp_path):
    src = _tree(tmp_path)
    publish(src, _writes(src), "ratify")
    assert digest_tree(src) == _after(tmp_path)
    assert (src / "schools" / "a.yaml").read_bytes() == b"a: 2\n"
    assert recover(src) is None


@pytest.mark.parametrize("n", [2, 3, 4, 5])
def test_killed_after_its_files_were_written_it_is_finished(tmp_path, n):
    src = _tree(tmp_path)
    _killed_at_replace(src, n)
    assert (src / JOURNAL).is_file()
    found = recover(src)
    assert found.complete and recovery_words(found).startswith("finished an interrupted ratify of the Test Policy")
    assert digest_tree(src) == _after(tmp_path)  # byte for byte a complete run, no journal, no temporary file
    assert recover(src) is None


def test_killed_after_its_last_rename_it_is_finished_too(tmp_path):
    src = _tree(tmp_path)
    _killed_at_replace(src, 6)  # the four files are in place; only the journal is left
    found = recover(src)
    assert found.complete and "put them in place" in recovery_words(found)
    assert digest_tree(src) == _after(tmp_path)


def test_a_file_not_written_in_full_takes_the_whole_publish_back(tmp_path):
    src = _tree(tmp_path)
    before = digest_tree(src)
    _killed_at_replace(src, 2)  # journal published, every new file beside its place, none renamed
    torn = src / "schools" / ".b.yaml.policyc-new"
    torn.write_bytes(torn.read_bytes()[:2])  # as a machine that lost power mid-write would leave it
    found = recover(src)
    assert found.complete and recovery_words(found).startswith("took back an interrupted ratify")
    assert digest_tree(src) == before
    assert not (src / "snapshots").exists()  # the folders it made are gone too


def test_a_publish_that_can_be_neither_finished_nor_taken_back_is_said_and_kept(tmp_path):
    src = _tree(tmp_path)
    _killed_at_replace(src, 3)  # the first snapshot in place, the rest waiting
    (src / "schools" / ".a.yaml.policyc-new").unlink()  # lost: the decision cannot be completed
    found = recover(src)
    assert not found.complete and found.outcome == "part-way"
    assert found.broken == (src / "schools" / ".a.yaml.policyc-new",) and found.done == (src / "snapshots/a/p/1.0.yaml",)
    assert "cannot be finished" in recovery_words(found) and "schools/.a.yaml.policyc-new" in recovery_words(found)
    assert "snapshots/a/p/1.0.yaml" in recovery_words(found)  # what it did put in place
    assert (src / JOURNAL).is_file()  # kept, so every later command says so
    assert not recover(src).complete


def test_a_school_file_edited_since_the_kill_is_never_overwritten(tmp_path):
    src = _tree(tmp_path)
    _killed_at_replace(src, 2)
    (src / "schools" / "a.yaml").write_bytes(b"a: by hand\n")
    found = recover(src)
    assert found.complete and recovery_words(found).startswith("took back")  # nothing of it had been placed
    assert (src / "schools" / "a.yaml").read_bytes() == b"a: by hand\n"


def test_a_snapshot_is_never_overwritten(tmp_path):
    src = _tree(tmp_path)
    write_tree(src, {"snapshots/b/p/1.0.yaml": "older\n"})
    before = digest_tree(src)
    with pytest.raises(journal.UserError, match="already exists; it is never overwritten"):
        publish(src, _writes(src), "ratify")
    assert digest_tree(src) == before


def test_the_journal_is_not_a_source_file(tmp_path):
    src = _tree(tmp_path)
    digest = source_digest(src)
    _killed_at_replace(src, 2)
    (src / "snapshots").rename(tmp_path / "aside")  # only the journal and the temporary files remain
    for temp in src.rglob("*.policyc-new"):
        temp.unlink()
    assert (src / JOURNAL).is_file()
    assert source_digest(src) == digest


def test_a_removal_is_part_of_the_same_all_or_none(tmp_path):
    src = _tree(tmp_path)
    writes = [Write(src / "schools" / "a.yaml", None, b"a: 1\n"), Write(src / "schools" / "b.yaml", b"b: 2\n", b"b: 1\n")]
    pid = os.fork()
    if pid == 0:
        real = os.unlink

        def dying(path, *a, **k):
            if str(path).endswith("a.yaml"):
                os._exit(9)  # killed as it removes the file: b.yaml not yet replaced either
            return real(path, *a, **k)
        os.unlink = dying
        try:
            publish(src, writes, "unratify")
        finally:
            os._exit(0)
    assert os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1]) == 9
    found = recover(src)
    assert found.complete and recovery_words(found).startswith("finished")
    assert not (src / "schools" / "a.yaml").exists() and (src / "schools" / "b.yaml").read_bytes() == b"b: 2\n"
    assert recover(src) is None


def test_a_journal_never_published_is_cleared_but_not_one_being_written(tmp_path):
    import fcntl
    src = _tree(tmp_path)
    before = digest_tree(src)
    (src / ".policyc-journal.json.tmp").write_text('{"format": 1, "wh')  # killed while writing its journal
    assert recover(src) is None
    assert digest_tree(src) == before
    held = src / ".policyc-journal.json.tmp"
    held.write_text("{}")
    handle = os.open(held, os.O_RDONLY)
    try:
        fcntl.flock(handle, fcntl.LOCK_EX)  # as a command writing its journal right now holds it
        assert recover(src) is None
        assert held.is_file()
    finally:
        os.close(handle)
