"""The shipped statutory list and the trust's own requirements: well-formed, cited, and checked
where the sources name them."""

from __future__ import annotations

import datetime as dt
import json

import jsonschema
import yaml
from referencing import Registry, Resource

from policyc.compliance.requirements import LIST_FILE, statutory
from policyc.resources import SCHEMA_DIR
from tests.helpers import EXAMPLE, copy_tree
from tests.helpers import edit


def _requirement_validator():
    common = json.loads((SCHEMA_DIR / "common.schema.json").read_text())
    registry = Registry().with_resource("common.schema.json", Resource.from_contents(common))
    return jsonschema.Draft202012Validator({"$ref": "common.schema.json#/$defs/requirement"}, registry=registry)


def test_the_shipped_list_is_well_formed_dated_and_cites_its_sources():
    data = yaml.safe_load(LIST_FILE.read_text(encoding="utf-8"))
    assert isinstance(data["checked"], dt.date)
    assert data["sources"], "the list cites no page"
    for key, page in data["sources"].items():
        assert page["url"].startswith("https://"), (key, page["url"])
        assert page["title"].strip()
        if "updated" in page:
            assert isinstance(page["updated"], dt.date) and page["updated"] <= data["checked"]
    validator = _requirement_validator()
    ids = [r["id"] for r in data["requirements"]]
    assert len(ids) == len(set(ids)), "an id is used twice"
    for entry in data["requirements"]:
        errors = [e.message for e in validator.iter_errors(entry)]
        assert not errors, (entry["id"], errors)
        cited = [entry["source"]] if isinstance(entry["source"], str) else entry["source"]
        assert cited and all(c in data["sources"] for c in cited), entry["id"]
        # third-party pages may help find a fact; every requirement rests on the Department's own
        assert any(data["sources"][c]["url"].startswith("https://www.gov.uk/") for c in cited), entry["id"]
    assert len(statutory().requirements) == len(ids)
    assert "child-protection" in ids  # the example trust relies on it


def test_a_policy_naming_a_requirement_that_does_not_exist_is_a_located_error_with_a_suggestion(run, tmp_path):
    src = copy_tree(EXAMPLE, tmp_path / "src")
    edit(src / "policies" / "online-safety.yaml", "meets: [online-safety]", "meets: [online-safty]")
    edit(src / "schools" / "calderbeck-academy.yaml", "  child-protection:\n", "  child-protecton:\n")
    result = run("validate", "--source", str(src))
    assert result.code == 1
    lines = result.err.splitlines()
    at = next(i for i, line in enumerate(lines) if "'online-safty'" in line)
    assert "online-safety.yaml:13:" in lines[at] and "did you mean 'online-safety'?" in " ".join(lines[at:at + 2])
    at = next(i for i, line in enumerate(lines) if "'child-protecton'" in line)
    assert "calderbeck-academy.yaml:" in lines[at] and "did you mean 'child-protection'?" in " ".join(lines[at:at + 2])
    assert "Traceback" not in result.err


def test_a_trust_may_review_more_often_never_less_and_may_not_reuse_a_statutory_id(run, tmp_path):
    src = copy_tree(EXAMPLE, tmp_path / "src")
    shipped = {r.id: r for r in statutory().requirements}
    cycled = next(r for r in shipped.values() if r.review not in ("", "live") and r.review != "every 6 months")
    trust = src / "trust.yaml"
    edit(trust, "  levels:\n", f"  review:\n    {cycled.id}: every 10 years\n  levels:\n")
    edit(trust, "    - id: photography\n", f"    - id: {cycled.id}\n      name: Again\n    - id: photography\n")
    result = run("validate", "--source", str(src))
    assert result.code == 1
    assert f"every 10 years is less often than the {cycled.review} review" in result.err
    assert f"{cycled.id!r} is already a statutory requirement" in result.err
    assert result.err.count("trust.yaml:") >= 2

    src2 = copy_tree(EXAMPLE, tmp_path / "src2")
    edit(src2 / "trust.yaml", "  levels:\n", f"  review:\n    {cycled.id}: every 6 months\n  levels:\n")
    assert run("validate", "--source", str(src2)).code == 0


def test_an_unknown_id_in_the_trusts_check_list_is_an_error(run, tmp_path):
    src = copy_tree(EXAMPLE, tmp_path / "src")
    edit(src / "trust.yaml", "check: [child-protection,", "check: [child-protection, photograpy,")
    result = run("validate", "--source", str(src))
    assert result.code == 1 and "did you mean 'photography'?" in result.err


def test_an_address_without_https_is_a_located_error_that_says_how_to_write_it(run, tmp_path):
    src = copy_tree(EXAMPLE, tmp_path / "src")
    edit(src / "schools" / "larkspur-fields.yaml", "    url: https://www.larkspurfields.org.uk/safeguarding/",
         "    url: www.larkspurfields.org.uk")
    result = run("validate", "--source", str(src))
    assert result.code == 1 and "Traceback" not in result.err
    assert "larkspur-fields.yaml:" in result.err and "is not a web address policyc can link to" in result.err
    assert "'https://www.larkspurfields.org.uk'" in result.err
