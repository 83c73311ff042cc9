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


def test_a_new_schools_policy_in_a_trust_of_several_is_that_schools_own(tmp_path, capsys):
    """Spring Meadow's phones policy brought into the example trust: the other five schools do
    not get a policy in Spring Meadow's words, and the names the trust's own policies need for
    the new school are asked for, never guessed."""
    import shutil

    from policyc.pipeline import check_all
    from tests.helpers import EXAMPLE
    source = tmp_path / "src"
    shutil.copytree(EXAMPLE, source)
    document = _document(tmp_path, "spring-meadow-mobile-phones", "docx")
    assert main(["import", str(document), "--source", str(source)]) == 0
    out = capsys.readouterr().out
    policy = yaml.safe_load((source / "policies" / "mobile-phone.yaml").read_text())
    assert policy["applies_to"] == {"schools": ["spring-meadow-primary-school"]}
    assert "the trust's other schools do not get it" in out
    asked = [line for line in out.splitlines() if line.startswith("to fill in before the trust builds:")]
    assert any("Spring Meadow Primary School's Headteacher: add headteacher: {name: ...}" in a for a in asked)
    assert main(["validate", "--source", str(source)]) == 1  # until the names are given
    school = source / "schools" / "spring-meadow-primary-school.yaml"
    data = yaml.safe_load(school.read_text())
    for key in ("headteacher", "chair", "dsl", "deputy_dsl", "online_safety_lead"):
        data["roles"].setdefault(key, {})["name"] = f"Named {key}"
    school.write_text(yaml.safe_dump(data))
    checked = check_all(source)
    having = {p.school_slug for p in checked.policies if p.policy_id == "mobile-phone"}
    assert having == {"spring-meadow-primary-school"}


def test_a_school_that_applies_to_names_must_exist(tmp_path, capsys):
    import shutil

    from tests.helpers import EXAMPLE
    source = tmp_path / "src"
    shutil.copytree(EXAMPLE, source)
    path = source / "policies" / "photography.yaml"
    text = path.read_text()
    path.write_text(text.replace("sections:\n", "applies_to: {schools: [hollin-bank-primry]}\nsections:\n", 1))
    assert main(["validate", "--source", str(source)]) == 1
    err = capsys.readouterr().err
    assert "policies/photography.yaml:" in err and "'hollin-bank-primry', which is not one of the trust's schools" in err
    assert "did you mean 'hollin-bank-primary'?" in err
