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
