"""Schema errors and meaning checks in one run; oneOf/anyOf messages name the key meant;
clause nesting and count limits are located errors, and validation time stays linear."""

from __future__ import annotations

import time

import pytest

from policyc.cli import main
from policyc.errors import Problems
from policyc.limits import MAX_CLAUSE_DEPTH, MAX_CLAUSES
from policyc.source.read import parse_yaml
from policyc.source.schema import validate
from tests.conftest import POLICY, SCHOOL, TRUST, write_tree

PATH = "policies/social-media.yaml"


def errors(tmp_path, monkeypatch, capsys, policy: str = POLICY, school: str = SCHOOL) -> list[str]:
    src = write_tree(tmp_path / "src", {"trust.yaml": TRUST, PATH: policy, "schools/oak-primary.yaml": school})
    monkeypatch.chdir(src)
    code = main(["validate", "--source", str(src)])
    err = capsys.readouterr().err
    assert "Traceback" not in err and "internal error" not in err
    assert code == 1, err
    return [line for line in err.splitlines() if line and not line.startswith(" ") and "error(s)" not in line]


def test_a_schema_error_does_not_hide_the_other_clauses_checks(tmp_path, monkeypatch, capsys):
    policy = (POLICY.replace("        text: Tell the {{ role.dsl }} at once.", "        text: Tell the {{ role.dsx }} at once.")
              .replace("      - id: eyfs\n", "      - id: eyfs\n        numbered: yes\n")
              .replace("In person or by email.", "In person or [by email](#nowhere)."))
    found = errors(tmp_path, monkeypatch, capsys, policy)
    assert found == [
        f"{PATH}:25:19: expected true or false, found the text 'yes'",
        f"{PATH}:42:24: unknown placeholder {{{{ role.dsx }}}}",
        f"{PATH}:45:43: the link #nowhere points at no clause or section of this policy",
    ]


def test_an_unknown_key_does_not_hide_a_bad_reference_or_cause_knock_on_errors(tmp_path, monkeypatch, capsys):
    policy = (POLICY.replace('forbidden: {text: "Personal', 'forbidden: {texte: "Personal')
              .replace("See paragraph [[personal-use]].", "See paragraph [[personal-usee]]."))
    found = errors(tmp_path, monkeypatch, capsys, policy)
    assert found == [f"{PATH}:15:95: the cross-reference [[personal-usee]] names no clause or section",
                     f"{PATH}:19:23: unknown key 'texte'"]


def one(text: str, kind: str = "policy") -> list[str]:
    problems = Problems()
    source = parse_yaml(text, __import__("pathlib").Path("x.yaml"), "x.yaml", problems)
    validate(source, kind, problems)
    return [f"{p.position}: {p.message} | {p.hint}" for p in problems.errors]


BASE = "id: x\ntitle: X\nsections: [{id: s, kind: scope, title: S, clauses: [{id: a, text: A}]}]\n"


@pytest.mark.parametrize("extra, expected", [
    ("contents: {titel: Contents}\n", "x.yaml:4:12: unknown key 'titel' | did you mean 'title'?"),
    ("contents: yes\n", "x.yaml:4:11: expected true or false or a mapping of keys to values, found the text 'yes' "
                        "| write true or false (yes/no and on/off are read as text)"),
])
def test_anyof_errors_name_the_key_meant(extra, expected):
    assert one(BASE + extra) == [expected]


def test_a_choice_with_a_misspelt_key_names_the_key_meant():
    text = BASE.replace("{id: a, text: A}", "{id: a, option: o, choices: {p: {texte: A}, q: null}}")
    assert one(text) == ["x.yaml:3:86: unknown key 'texte' | did you mean 'text'?"]


@pytest.mark.parametrize("written, hint", [("2026-09-31", "September 2026 has 30 days"),
                                           ("30/09/2026", "write dates as YYYY-MM-DD: 2026-09-30")])
def test_impossible_and_misformatted_dates_get_different_hints(tmp_path, monkeypatch, capsys, written, hint):
    src = write_tree(tmp_path / "src", {"trust.yaml": TRUST, PATH: POLICY.replace("2020-09-16", written),
                                        "schools/oak-primary.yaml": SCHOOL})
    monkeypatch.chdir(src)
    assert main(["validate", "--source", str(src)]) == 1
    err = capsys.readouterr().err
    assert f"{PATH}:50:12: {written!r} is not a real date\n    hint: {hint}\n" in err


def nested(levels: int) -> str:
    clause = "{id: c%d, text: T}" % levels
    for i in range(levels - 1, 0, -1):
        clause = "{id: c%d, text: T, clauses: [%s]}" % (i, clause)
    return "id: x\ntitle: X\nsections: [{id: s, kind: scope, title: S, clauses: [%s]}]\n" % clause


def test_clauses_nested_past_the_limit_are_refused_at_the_clause(tmp_path, monkeypatch, capsys):
    policy = nested(MAX_CLAUSE_DEPTH + 1).replace("id: x", "id: social-media")
    [error] = errors(tmp_path, monkeypatch, capsys, policy)
    assert error.startswith(f"{PATH}:3:") and f"level {MAX_CLAUSE_DEPTH + 1} of sub-clauses" in error


def test_clause_count_past_the_limit_is_refused(tmp_path, monkeypatch, capsys):
    many = "".join(f"      - id: c{i}\n        text: x\n" for i in range(MAX_CLAUSES))
    policy = POLICY.replace("      - id: breaches\n", many + "      - id: breaches\n")
    [error] = errors(tmp_path, monkeypatch, capsys, policy)
    assert error == f"{PATH}:1:1: this file holds {MAX_CLAUSES + 7:,} clauses; the limit is {MAX_CLAUSES:,}"


def test_validation_of_nested_clauses_is_not_exponential():
    # Each level used to double the time (14 levels took 8 s). Ratio, not a wall-clock bound:
    # eight levels must cost far less than 2**4 times four levels.
    def cost(levels: int) -> float:
        text = nested(levels)
        start = time.perf_counter()
        for _ in range(5):
            assert one(text) == []
        return time.perf_counter() - start
    cost(2)
    assert cost(8) < 6 * cost(4)


MANY_LINKS = """            text: |
              In person [a](javascript:alert(1)) or
              [b](data:text/html,x) and
              [c][r], or <https://www.gov.uk>.

              [r]: vbscript:x
"""


def test_several_unsafe_links_in_one_clause_each_at_its_own_line(tmp_path, monkeypatch, capsys):
    policy = POLICY.replace("            text: In person or by email.\n", MANY_LINKS)
    found = errors(tmp_path, monkeypatch, capsys, policy)
    assert found == [f"{PATH}:45:29: a link to a 'javascript:' address is not allowed",
                     f"{PATH}:46:19: a link to a 'data:' address is not allowed",
                     f"{PATH}:49:20: a link to a 'vbscript:' address is not allowed"]


def test_an_autolink_to_an_allowed_scheme_passes_strict(tmp_path, monkeypatch, capsys):
    policy = POLICY.replace("In person or by email.", "In person or <https://www.gov.uk>.")
    src = write_tree(tmp_path / "src", {"trust.yaml": TRUST, PATH: policy, "schools/oak-primary.yaml": SCHOOL})
    assert main(["validate", "--strict", "--source", str(src)]) == 0
    assert "0 warning(s)" in capsys.readouterr().err


def test_links_in_the_preamble_and_history_are_checked_at_their_place(tmp_path, monkeypatch, capsys):
    policy = (POLICY.replace("numbering:", "preamble: 'See [x](javascript:alert(1)) and [y](#gone)'\nnumbering:")
              .replace("summary: Social networking renamed social media.", "summary: '[x](javascript:1) [y](#nope)'"))
    found = errors(tmp_path, monkeypatch, capsys, policy)
    assert found == [f"{PATH}:3:20: a link to a 'javascript:' address is not allowed",
                     f"{PATH}:3:49: the link #gone points at no clause or section of this policy",
                     f"{PATH}:51:55: a link to a 'javascript:' address is not allowed",
                     f"{PATH}:51:73: the link #nope points at no clause or section of this policy"]
