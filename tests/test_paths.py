"""The compiler never endangers the user's files: output folders, names in paths, finding the sources."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
import yaml

from policyc.history.snapshot import digest
from policyc.names import PathEscape, inside, is_slug, is_version
from tests.history.test_history import ratify


def tree_digest(root: Path) -> dict[str, str]:
    return {str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.mark.parametrize("where", ["source", "parent", "inside"])
def test_an_output_folder_that_is_holds_or_sits_in_the_sources_is_refused_and_nothing_changes(mini, run, where):
    before = tree_digest(mini.parent)
    output = {"source": mini, "parent": mini.parent, "inside": mini / "policies" / "out"}[where]
    result = run("--source", mini, "--output", output, "--format", "html")
    assert result.code == 1
    assert "must be a folder of its own" in result.err and "Traceback" not in result.err
    assert tree_digest(mini.parent) == before


def test_a_folder_of_someone_elses_files_is_never_replaced(mini, run, tmp_path):
    documents = tmp_path / "documents"
    documents.mkdir()
    (documents / "letter.docx").write_bytes(b"my only copy")
    result = run("--source", mini, "--output", documents, "--format", "html")
    assert result.code == 1 and "policyc did not make" in result.err
    assert [p.name for p in documents.iterdir()] == ["letter.docx"]


def test_a_build_marks_its_output_and_may_replace_it_next_time(mini, run, tmp_path):
    out = tmp_path / "out"
    assert run("--source", mini, "--output", out, "--format", "html", "-q").code == 0
    assert (out / ".policyc-output").is_file()
    assert run("--source", mini, "--output", out, "--format", "html", "-q").code == 0


@pytest.mark.parametrize("version", ["../../x", "x/y", "<script>", "1.0\n", "..", "1..2", "a" * 21])
def test_ratify_refuses_a_version_that_is_not_a_plain_label(mini, run, version):
    result = ratify(run, mini, "2026-11-20", "Review", "--version", version)
    assert result.code == 1 and "cannot be a version label" in result.err or "at most 20" in result.err
    assert not (mini / "snapshots").exists() or not any((mini / "snapshots").rglob("*.yaml"))
    assert not any(mini.parent.rglob("x.yaml"))


def test_a_snapshot_whose_version_climbs_out_is_a_located_error_even_with_its_hash_recomputed(mini, run, tmp_path):
    assert ratify(run, mini, "2026-11-20", "Review", "--version", "2.0").code == 0
    snapshot = mini / "snapshots" / "oak-primary" / "social-media" / "2.0.yaml"
    data = yaml.safe_load(snapshot.read_text())
    data["version"] = "../../../escaped"
    data.pop("sha256")
    data["sha256"] = digest(data)
    snapshot.write_text(yaml.safe_dump(data, sort_keys=False))
    result = run("--source", mini, "--output", tmp_path / "out", "--format", "html")
    assert result.code == 1
    assert "2.0.yaml:" in result.err and "cannot be a version label" in result.err
    assert not any(tmp_path.rglob("escaped*"))


def test_names_are_matched_whole_so_a_trailing_newline_never_passes():
    assert is_slug("oak-primary") and not is_slug("oak-primary\n") and not is_slug("../oak")
    assert is_version("1.10") and is_version("2024-1") and not is_version("1.10\n") and not is_version("../x")


def test_a_path_that_would_leave_its_root_is_refused(tmp_path):
    assert inside(tmp_path, "a", "b.html") == tmp_path.resolve() / "a" / "b.html"
    with pytest.raises(PathEscape):
        inside(tmp_path, "..", "x.html")
    with pytest.raises(PathEscape):
        inside(tmp_path, "a/../../x.html")


def test_sources_are_found_from_any_folder_inside_the_project(mini, run, monkeypatch, tmp_path):
    project = tmp_path / "trust"
    mini.rename(project / "policy_src") if project.exists() else (project.mkdir(), mini.rename(project / "policy_src"))
    monkeypatch.chdir(project / "policy_src" / "schools")
    result = run("validate")
    assert result.code == 0, result.err
    monkeypatch.chdir(project)
    assert run("--format", "html", "-q").code == 0
    assert (project / "output" / "index.html").is_file()


def test_outside_any_project_the_message_says_how_to_start_one(run, monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    result = run("validate")
    assert result.code == 1 and "policyc init" in result.err and "Traceback" not in result.err


def test_register_csv_cells_that_a_spreadsheet_would_run_are_neutralised():
    from policyc.site.bundle import spreadsheet_safe
    assert spreadsheet_safe("=HYPERLINK(\"http://x\")") == "'=HYPERLINK(\"http://x\")"
    assert [spreadsheet_safe(v) for v in ("+1", "-1", "@SUM(A1)", "\tx", "Board")] == ["'+1", "'-1", "'@SUM(A1)", "'\tx", "Board"]


def test_a_title_that_looks_like_a_formula_reaches_the_csv_as_text(mini, run, tmp_path):
    policy = mini / "policies" / "social-media.yaml"
    policy.write_text(policy.read_text().replace("title: Staff Social Media Policy", "title: \"=1+2 Oak\""))
    out = tmp_path / "out"
    assert run("--source", mini, "--output", out, "--format", "html", "-q").code == 0
    csv_text = (out / "oak-primary" / "register.csv").read_text()
    assert "'=1+2 Oak" in csv_text and ",=1+2" not in csv_text
