"""Editors' leftovers beside the sources: passed over with one note each, naming the file as it
is in the folder, and never an error, a warning or a reason for --strict to refuse a build."""

from __future__ import annotations

import os

from tests.helpers import RATIFY, TODAY

MAC = b"\x00\x05\x16\x07\x00\x02\x00\x00Mac OS X        "  # AppleDouble: not UTF-8, not YAML
EMACS = "ann@laptop.4242:1700000000"  # what an Emacs lock link points at


def leave(folder, name: str, data: bytes = b"") -> None:
    (folder / name).write_bytes(data)


def test_emacs_locks_and_mac_files_beside_every_source_do_not_block_a_build(mini, run, tmp_path, monkeypatch):
    result = run(*RATIFY, "--source", mini, "--date", "2026-01-10", "--by", "Ann Chair, Chair of Governors",
                 "--summary", "First", "--version", "2.0")
    assert result.code == 0, result.err
    snapshots = mini / "snapshots" / "oak-primary" / "social-media"
    left = []
    for folder, name in ((mini, "trust.yaml"), (mini / "policies", "social-media.yaml"),
                         (mini / "schools", "oak-primary.yaml"), (snapshots, "2.0.yaml")):
        os.symlink(EMACS, folder / f".#{name}")  # dangling, as Emacs leaves it
        leave(folder, f"._{name}", MAC)
        left += [folder / f".#{name}", folder / f"._{name}"]
    monkeypatch.chdir(mini.parent)
    for command in (("validate",), ("validate", "--strict"),
                    ("build", "--output", tmp_path / "out", "--format", "html", "--strict")):
        result = run(*command[:1], "--source", "src", *command[1:], "--today", TODAY)
        assert result.code == 0, result.err
        notes = [line for line in result.err.splitlines() if ": note: " in line]
        assert len(notes) == len(left), result.err  # one line each
        assert "hint:" not in result.err and "warning:" not in result.err
        for path in left:
            shown = path.relative_to(mini.parent).as_posix()
            kind = "an Emacs lock file" if path.name.startswith(".#") else "a file macOS writes"
            assert any(line.startswith(f"{shown}: note: {kind}") for line in notes), (shown, result.err)
        assert EMACS not in result.err and "0 warning(s)" in result.out


def test_other_editors_leftovers_are_notes_and_a_stray_file_still_a_warning(mini, run):
    for name in ("social-media.yaml~", ".social-media.yaml.swp", "4913", "social-media.yaml.tmp",
                 "#social-media.yaml#", "~$cial-media.yaml", "social-media.yaml___jb_tmp___"):
        leave(mini / "policies", name)
    leave(mini / "policies", "notes.txt", b"draft ideas")
    result = run("validate", "--source", mini, "--strict")
    assert result.code == 1  # the stray file is a warning, which --strict refuses
    assert "notes.txt: warning: this file is not read" in result.err
    assert result.err.count(": note: ") == 7 and "1 warning(s), which --strict treats as errors" in result.err
    result = run("validate", "--source", mini)
    assert result.code == 0 and "1 warning(s)" in result.out
    for line in ("policies/4913: note: a file Vim writes for a moment to test the folder, not read",
                 "policies/.social-media.yaml.swp: note: a Vim (or nano) swap file, not read",
                 "policies/social-media.yaml~: note: an editor's backup copy, not read"):
        assert line in result.err
