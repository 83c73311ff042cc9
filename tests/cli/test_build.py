"""`policyc build` (policyc/cli/build.py): its progress on stderr and its report on stdout."""

from __future__ import annotations


def test_a_build_piped_prints_a_few_plain_lines_and_the_result_on_stdout(mini, run, tmp_path, monkeypatch):
    monkeypatch.chdir(mini)  # the files named as the user sees them from there
    result = run("--format", "html", "--output", tmp_path / "out", "--no-cache")
    assert result.code == 0
    assert result.out.startswith("Wrote ") and result.out.rstrip().endswith(f"Open {tmp_path}/out/index.html")
    lines = result.err.splitlines()
    assert lines[0] == f"Building 1 school policies for 1 school(s) into {tmp_path}/out"
    assert 1 <= len(lines) - 1 <= 5 and all(" documents rendered, " in line for line in lines[1:])
    assert "\x1b" not in result.out + result.err  # no live line and no links in a pipe
    quiet = run("--format", "html", "--output", tmp_path / "out", "-q", "--no-cache")
    assert quiet.err == "" and quiet.out.startswith("Wrote ")
