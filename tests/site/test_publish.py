"""Output is swapped into place only when everything succeeded."""

from pathlib import Path

import pytest

from policyc.site.publish import staged


def test_success_replaces_the_output(tmp_path: Path):
    out = tmp_path / "output"
    out.mkdir()
    (out / "old.txt").write_text("old")
    with staged(out, keep_existing=False) as root:
        (root / "new.txt").write_text("new")
    assert sorted(p.name for p in out.iterdir()) == [".policyc-output", "new.txt"]
    assert [p.name for p in tmp_path.iterdir()] == ["output"]


def test_partial_build_keeps_other_files(tmp_path: Path):
    out = tmp_path / "output"
    out.mkdir()
    (out / "other-school.txt").write_text("kept")
    with staged(out, keep_existing=True) as root:
        (root / "this-school.txt").write_text("new")
    assert sorted(p.name for p in out.iterdir()) == [".policyc-output", "other-school.txt", "this-school.txt"]


def test_failure_leaves_the_output_and_no_staging(tmp_path: Path):
    out = tmp_path / "output"
    out.mkdir()
    (out / "old.txt").write_text("old")
    with pytest.raises(RuntimeError):
        with staged(out, keep_existing=True) as root:
            (root / "half.txt").write_text("half")
            raise RuntimeError("renderer failed")
    assert [p.name for p in out.iterdir()] == ["old.txt"]
    assert [p.name for p in tmp_path.iterdir()] == ["output"]


# --- one build at a time, and the file system saying no ---------------------------------

import fcntl  # noqa: E402
import os  # noqa: E402

from policyc.cli import main  # noqa: E402
from tests.helpers import digest_tree, mounted  # noqa: E402


def _build(src: Path, out: Path, capsys) -> tuple[int, str]:
    code = main(["--source", str(src), "--output", str(out), "--format", "html", "-q"])
    return code, capsys.readouterr().err


def test_a_second_build_into_the_same_output_is_refused_and_the_first_is_untouched(mini, tmp_path, capsys):
    out = tmp_path / "output"
    assert _build(mini, out, capsys)[0] == 0
    before = digest_tree(out)
    lock = tmp_path / ".output.policyc-lock"  # as a build in another process holds it
    fd = os.open(lock, os.O_RDWR | os.O_CREAT)
    staging = tmp_path / ".output.staging-other"
    staging.mkdir()
    old = 1_000_000_000
    os.utime(staging, (old, old))  # old enough that a build would clear it as a leftover
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        os.write(fd, b"4242 2026-12-03T09:00:00\n")
        code, err = _build(mini, out, capsys)
        assert code == 1
        assert "another policyc build is writing" in err and "(process 4242, started 2026-12-03T09:00:00)" in err
        assert "Traceback" not in err
        assert staging.is_dir()  # the other build's staging folder is left alone
    finally:
        os.close(fd)
    assert digest_tree(out) == before
    lock.unlink()
    staging.rmdir()
    assert _build(mini, out, capsys)[0] == 0  # the holder gone, the next build goes ahead
    assert sorted(p.name for p in tmp_path.iterdir()) == ["output", "src"]  # no lock file left beside it


def test_a_full_disk_is_a_plain_message_and_the_previous_output_stays(mini, tmp_path, capsys):
    with mounted(tmp_path / "disk", "-t", "tmpfs", "-o", "size=6m", "tmpfs") as disk:
        out = disk / "output"
        assert _build(mini, out, capsys)[0] == 0
        before = digest_tree(out)
        free = os.statvfs(disk).f_bavail * os.statvfs(disk).f_frsize
        with open(disk / "filler", "wb") as filler:  # leave less room than the stylesheet and fonts take
            filler.write(b"\0" * max(0, free - 300_000))
        code, err = _build(mini, out, capsys)
        assert code == 1, err
        assert "there is no space left to write" in err and "the output folder is as it was" in err
        assert "Traceback" not in err
        assert digest_tree(out) == before
        assert sorted(p.name for p in disk.iterdir()) == ["filler", "output"]  # no staging folder, no lock


def test_a_read_only_output_is_a_plain_message(mini, tmp_path, capsys):
    folder = tmp_path / "site"
    out = folder / "output"
    assert _build(mini, out, capsys)[0] == 0
    before = digest_tree(out)
    with mounted(folder, "--bind", "-o", "ro", str(folder)):
        code, err = _build(mini, out, capsys)
    assert code == 1, err
    assert "cannot be written to" in err and "Traceback" not in err
    assert digest_tree(out) == before


def test_a_killed_builds_staging_folder_is_cleared_by_the_next_build_at_once(mini, tmp_path, capsys):
    out = tmp_path / "output"
    staging = tmp_path / ".output.staging-killed"  # as a build killed a moment ago leaves it
    (staging / "oak-primary").mkdir(parents=True)
    (staging / "oak-primary" / "index.html").write_text("<p>half</p>\n")
    assert _build(mini, out, capsys)[0] == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["output", "src"]
