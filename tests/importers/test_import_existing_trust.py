"""Importing into an existing trust: the document's school is the trust's school of that name,
--school names it, one slug grammar, nothing existing overwritten (issue #19, part 5)."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from policyc.cli import main
from tests.import_corpus.corpus import documents, write


def _document(tmp_path: Path, name: str, fmt: str = "txt") -> Path:
    [doc] = documents([name])
    (tmp_path / fmt).mkdir(exist_ok=True)
    return write(doc, fmt, tmp_path / fmt)


def _trust_with_hawkhurst(tmp_path: Path) -> tuple[Path, Path]:
    """A trust whose school file is schools/hawkhurst.yaml, name: Hawkhurst Church of England Primary School."""
    source = tmp_path / "src"
    document = _document(tmp_path, "hawkhurst-aup")
    assert main(["import", str(document), "--source", str(source)]) == 0
    [made] = (source / "schools").glob("*.yaml")
    assert yaml.safe_load(made.read_text(encoding="utf-8"))["name"] == "Hawkhurst Church of England Primary School"
    made.rename(source / "schools" / "hawkhurst.yaml")
    return source, document


def test_the_school_named_on_the_cover_is_the_trusts_school_of_that_name(tmp_path, capsys):
    source, document = _trust_with_hawkhurst(tmp_path)
    trust_before = (source / "trust.yaml").read_text(encoding="utf-8")
    first_policy = next((source / "policies").glob("*.yaml"))
    policy_before = first_policy.read_text(encoding="utf-8")
    capsys.readouterr()
    assert main(["import", str(document), "--source", str(source), "--id", "aup-second-copy"]) == 0
    out = capsys.readouterr().out
    assert [p.name for p in (source / "schools").glob("*.yaml")] == ["hawkhurst.yaml"]
    school = yaml.safe_load((source / "schools" / "hawkhurst.yaml").read_text(encoding="utf-8"))
    assert set(school["policies"]) == {first_policy.stem, "aup-second-copy"}
    assert "Imported aup-second-copy for hawkhurst." in out
    assert (source / "trust.yaml").read_text(encoding="utf-8") == trust_before
    assert first_policy.read_text(encoding="utf-8") == policy_before
    assert main(["validate", "--source", str(source)]) == 0


def test_school_names_the_school_without_model(tmp_path, capsys):
    source, _ = _trust_with_hawkhurst(tmp_path)
    # Policy No. 54 names no school: --school says whose it is.
    assert main(["import", str(_document(tmp_path, "policy54-whistleblowing")), "--source", str(source),
                 "--school", "hawkhurst"]) == 0
    assert [p.name for p in (source / "schools").glob("*.yaml")] == ["hawkhurst.yaml"]
    school = yaml.safe_load((source / "schools" / "hawkhurst.yaml").read_text(encoding="utf-8"))
    assert "whistleblowing" in school["policies"]
    assert school["name"] == "Hawkhurst Church of England Primary School"


@pytest.mark.parametrize("model", [False, True])
def test_a_slug_the_checker_would_refuse_is_refused_at_once(tmp_path, capsys, model):
    source, document = _trust_with_hawkhurst(tmp_path)
    before = {p: p.read_text(encoding="utf-8") for p in source.rglob("*.yaml")}
    capsys.readouterr()
    args = ["import", str(document), "--source", str(source), "--school", "oak_primary"]
    if model:
        args += ["--model", next((source / "policies").glob("*.yaml")).stem]
    assert main(args) == 2
    err = capsys.readouterr().err
    assert "--school 'oak_primary'" in err and "lower-case letters, digits and single hyphens" in err
    assert "Traceback" not in err
    assert {p: p.read_text(encoding="utf-8") for p in source.rglob("*.yaml")} == before
