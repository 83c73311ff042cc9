"""The compiler never endangers the user's files: output folders, names in paths, finding the sources."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
import yaml

from policyc.history.snapshot import digest
from policyc.names import PathEscape, inside, is_slug, is_version
from tests.helpers import ratify


def tree_digest(root: Path) -> dict[str, str]:
    return {str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.mark.parametrize("where", ["source", "parent", "inside"])
def test_an_output_folder_that_is_holds_or_sits_in_the_sources_is_refused_and_nothing_changes(mini, run, where):
    before = tree_digest(mini.parent)
    output = {"source": mini, "parent": mini.parent, "inside": mini / "policies" / "out"}[where]
    result = run("--source", mini, "--output", output, "--format", "html")
    assert result.code == 2
    assert "must be a folder of its own" in result.err and "Traceback" not in result.err
    assert tree_digest(mini.parent) == before


def test_a_folder_of_someone_elses_files_is_never_replaced(mini, run, tmp_path):
    documents = tmp_path / "documents"
    documents.mkdir()
    (documents / "letter.docx").write_bytes(b"my only copy")
    result = run("--source", mini, "--output", documents, "--format", "html")
    assert result.code == 2 and "policyc did not make" in result.err
    assert [p.name for p in documents.iterdir()] == ["letter.docx"]


def test_a_build_marks_its_output_and_may_replace_it_next_time(mini, run, tmp_path):
    out = tmp_path / "out"
    assert run("--source", mini, "--output", out, "--format", "html", "-q").code == 0
    assert (out / ".policyc-output").is_file()
    assert run("--source", mini, "--output", out, "--format", "html", "-q").code == 0


@pytest.mark.parametrize("version", ["../../x", "x/y", "<script>", "1.0\n", "..", "1..2", "a" * 21])
def test_ratify_refuses_a_version_that_is_not_a_plain_label(mini, run, version):
    result = ratify(run, mini, "2026-11-20", "Review", "--version", version)
    assert result.code == 2
    assert "cannot be a version label" in result.err or "at most 20" in result.err
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
    assert result.code == 2 and "policyc init" in result.err and "Traceback" not in result.err


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


SCHEMAS = Path(__file__).resolve().parent.parent / "schemas"


def _patterns(node: object) -> list[str]:
    if isinstance(node, dict):
        return ([node["pattern"]] if isinstance(node.get("pattern"), str) else []) + \
            [p for value in node.values() for p in _patterns(value)]
    if isinstance(node, list):
        return [p for value in node for p in _patterns(value)]
    return []


def test_every_whole_value_pattern_in_the_schemas_refuses_a_trailing_newline():
    """JSON Schema patterns run with Python's re, where `$` also matches before a final newline;
    `\\Z` is not JSON Schema (editors run patterns as JavaScript), so each carries `(?!.*\\n)`."""
    import json
    anchored = [p for f in sorted(SCHEMAS.glob("*.json")) for p in _patterns(json.loads(f.read_text()))
                if p.endswith("$")]
    assert anchored
    assert [p for p in anchored if not p.startswith("^(?!.*\\n)")] == []


@pytest.mark.parametrize("definition,good", [("id", "tell-dsl"), ("version", "2.1"), ("date", "2026-10-01"),
                                             ("review_cycle", "every 2 years")])
def test_a_schema_name_with_a_trailing_newline_is_refused(definition, good):
    import json
    import re
    pattern = json.loads((SCHEMAS / "common.schema.json").read_text())["$defs"][definition]["pattern"]
    assert re.search(pattern, good) and not re.search(pattern, good + "\n")


@pytest.mark.parametrize("edit,said", [
    (("policies/social-media.yaml", "- id: breaches\n", '- id: "breaches\\n"\n'), "breaches"),
    (("schools/oak-primary.yaml", "version: 1.10", 'version: "1.10\\n"'), "version"),
    (("schools/oak-primary.yaml", "name: Oak Primary School", 'name: Oak Primary School\nslug: "oak\\n"'), "slug"),
])
def test_an_id_version_or_slug_ending_in_a_newline_is_a_located_error(mini, run, tmp_path, edit, said):
    name, old, new = edit
    path = mini / name
    assert old in path.read_text()
    path.write_text(path.read_text().replace(old, new, 1))
    result = run("validate", "--source", mini)
    assert result.code == 1 and "Traceback" not in result.err
    assert any(line.startswith(str(name).split("/")[-1]) or f"/{name}:" in line or line.startswith(name)
               for line in result.err.splitlines() if said in line), result.err


def test_a_policy_file_named_with_a_newline_is_refused(mini, run, tmp_path):
    path = mini / "policies" / "social-media.yaml"
    text = path.read_text().replace("id: social-media", 'id: "social-media\\n"', 1)
    path.unlink()
    (mini / "policies" / "social-media\n.yaml").write_text(text)
    out = tmp_path / "out"
    result = run("--source", mini, "--output", out, "--format", "html")
    assert result.code == 1 and "Traceback" not in result.err
    assert not out.exists()


def test_a_snapshots_folder_linked_outside_the_sources_is_neither_written_nor_read(mini, run, tmp_path):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (mini / "snapshots").symlink_to(elsewhere)
    result = ratify(run, mini, "2026-11-20", "Review", "--version", "2.0")
    assert result.code == 1 and "leads outside the source folder" in result.err and "Traceback" not in result.err
    assert list(elsewhere.rglob("*")) == []
    planted = elsewhere / "oak-primary" / "social-media" / "2.0.yaml"
    planted.parent.mkdir(parents=True)
    planted.write_text("format: secret\n")
    result = run("validate", "--source", mini)
    assert result.code == 1 and "2.0.yaml:1:1: " in result.err and "outside the source folder" in result.err
    assert "secret" not in result.err


@pytest.mark.slow
@pytest.mark.parametrize("command", ["serve", "diff"])
def test_serve_and_diff_refuse_an_output_folder_inside_the_sources_before_touching_anything(mini, command):
    from tests.hostile import run_policyc
    before = tree_digest(mini.parent)
    inside_sources = mini / "policies" / "out"
    extra = ["--port", "0"] if command == "serve" else ["--school", "oak-primary", "--policy", "social-media",
                                                         "--from", "model", "--to", "draft"]
    outcome = run_policyc([command, "--source", str(mini), "--output", str(inside_sources), *extra], mini.parent,
                          timeout=60)
    assert not outcome.seconds_limit_hit, f"{command} ran on with its output folder inside the sources"
    assert outcome.code == 2 and "must be a folder of its own" in outcome.err, outcome.err
    assert not inside_sources.exists()
    assert tree_digest(mini.parent) == before
