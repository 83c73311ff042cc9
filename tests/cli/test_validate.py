"""`policyc validate`, `status` and `compliance` (policyc/cli/validate.py): the one line, the table or
JSON, and --fail-on's exit code for a scheduled job."""

from __future__ import annotations

import json

import pytest

from tests.helpers import EXAMPLE, earlier_output, output_snapshot


def test_validate_a_good_folder_writes_nothing(mini, run, tmp_path, monkeypatch):
    monkeypatch.chdir(mini)  # the files named as the user sees them from there
    output = earlier_output(tmp_path / "output")
    before = output_snapshot(output)
    result = run("validate", "--source", mini, "--output", output)
    assert result.code == 0
    assert (result.out, result.err) == ("1 school(s), 1 policy file(s): no errors, 0 warning(s).\n", "")
    assert output_snapshot(output) == before


def test_status_filters_prints_json_and_fails_on_the_groups_asked(mini, run, monkeypatch):
    monkeypatch.chdir(mini)  # the files named as the user sees them from there
    plain = run("status", "--school", "oak-primary", "--today", "2026-11-22")
    assert plain.code == 0 and "Oak Primary School" in plain.out
    data = json.loads(run("status", "--json", "--today", "2028-01-01").out)
    assert data["as_at"] == "2028-01-01"
    assert [(p["school"], p["policy"], p["group"], p["version"]) for p in data["policies"]] == [
        ("oak-primary", "social-media", "overdue", "1.10")]
    assert run("status", "--fail-on", "due-soon", "--today", "2028-01-01").code == 0
    late = run("status", "--fail-on", "overdue,due-soon", "--today", "2028-01-01")
    assert late.code == 1 and late.err == "policyc: 1 overdue (--fail-on overdue,due-soon)\n"
    none = run("status", "--json", "--policy", "social-media", "--school", "oak-primary", "--today", "2026-11-22")
    assert [p["group"] for p in json.loads(none.out)["policies"]] == ["up-to-date"]


@pytest.mark.slow
def test_the_text_puts_problems_first_and_fail_on_gives_exit_1_for_a_scheduled_job(run):
    result = run("compliance", "--source", str(EXAMPLE), "--today", "2026-12-03", "--school", "larkspur-fields")
    assert result.code == 0, result.err
    lines = [line.strip() for line in result.out.splitlines()]
    start = next(i for i, line in enumerate(lines) if line.startswith("Larkspur Fields School"))
    assert lines[start + 1].startswith("Missing") and "Mobile phones policy" in lines[start + 1]
    assert "Hollin Bank" not in result.out
    failing = run("compliance", "--source", str(EXAMPLE), "--today", "2026-12-03", "--fail-on", "missing,overdue")
    assert failing.code == 1 and "1 missing; 1 overdue (--fail-on missing,overdue)" in failing.err
    assert run("compliance", "--source", str(EXAMPLE), "--today", "2026-12-03", "--fail-on", "approval").code == 0
    with pytest.raises(SystemExit) as stop:
        run("compliance", "--source", str(EXAMPLE), "--fail-on", "mising")
    assert stop.value.code == 2
