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
from tests.helpers import POLICY, SCHOOL, TRUST, write_tree

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
    assert "0 warning(s)" in capsys.readouterr().out


def test_links_in_the_preamble_and_history_are_checked_at_their_place(tmp_path, monkeypatch, capsys):
    policy = (POLICY.replace("numbering:", "preamble: 'See [x](javascript:alert(1)) and [y](#gone)'\nnumbering:")
              .replace("summary: Social networking renamed social media.", "summary: '[x](javascript:1) [y](#nope)'"))
    found = errors(tmp_path, monkeypatch, capsys, policy)
    assert found == [f"{PATH}:3:20: a link to a 'javascript:' address is not allowed",
                     f"{PATH}:3:49: the link #gone points at no clause or section of this policy",
                     f"{PATH}:51:55: a link to a 'javascript:' address is not allowed",
                     f"{PATH}:51:73: the link #nope points at no clause or section of this policy"]


# --- one round: what survives around a refused key or list item is still checked ---------------

def report(tmp_path, monkeypatch, capsys, policy: str = POLICY, school: str = SCHOOL,
           extra: dict | None = None) -> str:
    """Everything validate says (messages and hints), for sources with these files."""
    files = {"trust.yaml": TRUST, PATH: policy, "schools/oak-primary.yaml": school, **(extra or {})}
    src = write_tree(tmp_path / "src", files)
    monkeypatch.chdir(src)
    code = main(["validate", "--source", str(src)])
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err and "internal error" not in captured.err
    assert code == 1, captured.err
    return captured.err


def test_a_misspelt_section_key_hides_nothing_else_in_the_file(tmp_path, monkeypatch, capsys):
    policy = (POLICY.replace("    title: Key principles\n", "    titel: Key {{ school.nmae }} principles\n")
              .replace("      - id: eyfs\n", "      - id: purpose\n")
              .replace("    kind: incidents\n", "    kind: incident\n"))
    found = errors(tmp_path, monkeypatch, capsys, policy)
    assert found == [
        f"{PATH}:24:9: the id 'purpose' is already used by a clause on line 14",
        f"{PATH}:29:5: unknown key 'titel'",
        f"{PATH}:29:16: unknown placeholder {{{{ school.nmae }}}}",  # in the words of the misspelt key
        f"{PATH}:37:11: 'incident' is not allowed here; use one of: general, preamble, scope, definitions, "
        "principles, prohibited, practice, consent, monitoring, roles, incidents, related, appendix, changes",
    ]


def test_a_refused_date_does_not_hide_the_missing_signatories(tmp_path, monkeypatch, capsys):
    school = SCHOOL.replace("2026-10-01", "30/09/2026").replace(
        "      signatories: [{name: Ann Chair, role: Chair of Governors}]\n", "")
    assert report(tmp_path, monkeypatch, capsys, school=school) == (
        "schools/oak-primary.yaml:8:7: a ratified policy needs its signatories\n"
        "    hint: add signatories: [{name: ..., role: Chair of Governors}]\n"
        "schools/oak-primary.yaml:9:13: '30/09/2026' is not a real date\n"
        "    hint: write dates as YYYY-MM-DD: 2026-09-30\n"
        "\n2 error(s), 0 warning(s). Nothing was written.\n")


def test_a_refused_list_item_keeps_the_positions_of_the_items_after_it(tmp_path, monkeypatch, capsys):
    policy = POLICY.replace("      - id: breaches\n", "      - breaches\n      - id: breaches\n").replace(
        "Photographs in learning", "Photographs of {{ school.nmae }} in learning")
    found = errors(tmp_path, monkeypatch, capsys, policy)
    assert found == [f"{PATH}:21:9: expected a mapping of keys to values, found the text 'breaches'",
                     f"{PATH}:27:30: unknown placeholder {{{{ school.nmae }}}}"]


def test_a_policy_that_cannot_be_read_is_not_reported_again_by_the_policies_that_refer_to_it(
        tmp_path, monkeypatch, capsys):
    other = ("id: online-safety\ntitle: Online Safety\nsections:\n  - id: a\n    kind: scope\n    title: A\n"
             "    clauses:\n      - id: b\n        text: See [[social-media#purpose]].\n")
    policy = POLICY.replace("title: Staff Social Media Policy", "title: Staff: Social Media Policy")
    assert report(tmp_path, monkeypatch, capsys, policy, extra={"policies/online-safety.yaml": other}) == (
        f"{PATH}:2:13: a colon followed by a space inside a value\n"
        '    hint: put the whole value in quotes: title: "Staff: Social Media Policy"\n'
        "\n1 error(s), 0 warning(s). Nothing was written.\n")


# --- placeholders: every slip in writing one is located, with the fix ---------------------------

@pytest.mark.parametrize("written, message, hint", [
    ("{{school.name}", "{{school.name} is not a well-formed placeholder", "write {{ school.name }}"),
    ("{ school.name }", "{ school.name } is not a well-formed placeholder", "write {{ school.name }}"),
    ("{{ school.name }}}", "{{ school.name }}} is not a well-formed placeholder", "write {{ school.name }}"),
    ("{{ School.Name }}", "{{ School.Name }} is not a placeholder: names are written in lower case",
     "write {{ school.name }}"),
    ("{{ scool.name }", "{{ scool.name } is not a well-formed placeholder", "write {{ school.name }}"),
    ("{{ school.name", "{{ opens a placeholder that is never closed with }}",
     "write a placeholder as {{ school.name }}, with two braces on each side"),
])
def test_broken_braces_are_located_errors_with_the_fix(tmp_path, monkeypatch, capsys, written, message, hint):
    policy = POLICY.replace("protects {{ school.name }} and", f"protects {written} and")
    assert report(tmp_path, monkeypatch, capsys, policy) == (
        f"{PATH}:15:36: {message}\n    hint: {hint}\n\n1 error(s), 0 warning(s). Nothing was written.\n")


def test_braces_in_prose_and_escaped_braces_are_words(tmp_path, monkeypatch, capsys):
    policy = POLICY.replace("Tell the {{ role.dsl }} at once.", "Tell the {{ role.dsl }} (the set {a, b}) \\\\{x\\\\}.")
    src = write_tree(tmp_path / "src", {"trust.yaml": TRUST, PATH: policy, "schools/oak-primary.yaml": SCHOOL})
    assert main(["validate", "--strict", "--source", str(src)]) == 0, capsys.readouterr().err


# --- hints for the common slips, each quoted whole ----------------------------------------------

def whole(tmp_path, monkeypatch, capsys, **kw) -> str:
    text = report(tmp_path, monkeypatch, capsys, **kw)
    return text.split("\n\n")[0]


def test_a_key_at_the_column_of_the_dash(tmp_path, monkeypatch, capsys):
    policy = POLICY.replace("        text: Photographs in", "      text: Photographs in")
    assert whole(tmp_path, monkeypatch, capsys, policy=policy) == (
        f"{PATH}:26:7: the key 'text' is at the column of the dash of the list item on line 24, "
        "so it belongs to no item\n"
        "    hint: move it 2 spaces right, under 'id' on line 24")


def test_a_new_list_item_without_its_dash_is_read_as_an_item(tmp_path, monkeypatch, capsys):
    policy = POLICY.replace("      - id: eyfs\n", "      - id: eyfs-first\n        text: One {{ school.nmae }}.\n"
                                                 "        id: eyfs\n")
    assert whole(tmp_path, monkeypatch, capsys, policy=policy) == (
        f"{PATH}:25:19: unknown placeholder {{{{ school.nmae }}}}\n"
        "    hint: did you mean '{{ school.name }}'?\n"
        f"{PATH}:26:9: 'id' again in the same list item: this looks like a new item without its '- '\n"
        "    hint: write '- ' in place of the two spaces before it ('- id: eyfs'), so that its dash lines up "
        "with the one on line 24")


@pytest.mark.parametrize("written, hint", [
    ("30/09/2026", "write dates as YYYY-MM-DD: 2026-09-30"),
    ("31/09/2026", "there is no 31 September 2026 (September has 30 days); write dates as YYYY-MM-DD, "
                   "such as 2026-09-30"),
    ("09/30/2026", "write dates as YYYY-MM-DD: 2026-09-30"),
    ("1.10.26", "write dates as YYYY-MM-DD: 2026-10-01"),
])
def test_a_day_month_year_date(tmp_path, monkeypatch, capsys, written, hint):
    school = SCHOOL.replace("2026-10-01", written)
    assert whole(tmp_path, monkeypatch, capsys, school=school) == (
        f"schools/oak-primary.yaml:9:13: {written!r} is not a real date\n    hint: {hint}")


def test_the_colon_hint_names_the_key_it_is_in(tmp_path, monkeypatch, capsys):
    policy = POLICY.replace("text: Tell the {{ role.dsl }} at once.", "text: Note: tell the {{ role.dsl }}.")
    assert whole(tmp_path, monkeypatch, capsys, policy=policy) == (
        f"{PATH}:41:19: a colon followed by a space inside a value\n"
        '    hint: put the whole value in quotes: text: "Note: tell the {{ role.dsl }}."')


def test_a_value_starting_with_a_brace_gets_its_line_quoted(tmp_path, monkeypatch, capsys):
    policy = POLICY.replace("text: Tell the {{ role.dsl }} at once.", "text: {{ role.dsl }} must be told.")
    assert whole(tmp_path, monkeypatch, capsys, policy=policy) == (
        f"{PATH}:41:30: text continues after a value that YAML has already ended here\n"
        '    hint: a value that starts with { must be quoted as a whole: text: "{{ role.dsl }} must be told."')


def test_an_empty_school_file(tmp_path, monkeypatch, capsys):
    assert whole(tmp_path, monkeypatch, capsys, school="") == (
        "schools/oak-primary.yaml:1:1: this school file is empty\n"
        "    hint: a school file needs at least name: (such as 'name: Oak Primary School'); "
        "'policyc new school SLUG' writes one to start from")


def test_an_undeclared_role_gets_the_line_for_trust_yaml(tmp_path, monkeypatch, capsys):
    school = SCHOOL.replace("roles: {dsl: {name: Jo Bloggs}}",
                            "roles: {dsl: {name: Jo Bloggs}, bursar: {title: School Business Manager}}")
    assert whole(tmp_path, monkeypatch, capsys, school=school) == (
        "schools/oak-primary.yaml:3:33: the role 'bursar' is not one of the trust's roles\n"
        "    hint: the trust's roles are: headteacher, dsl, chair; to add the role, write "
        "'  bursar: School Business Manager' under roles: in trust.yaml (with the title most schools use)")


def test_an_undeclared_role_in_a_placeholder(tmp_path, monkeypatch, capsys):
    policy = POLICY.replace("{{ role.dsl }}", "{{ role.bursar }}")
    assert whole(tmp_path, monkeypatch, capsys, policy=policy) == (
        f"{PATH}:41:24: unknown placeholder {{{{ role.bursar }}}}: the trust has no role 'bursar'\n"
        "    hint: to add the role, write '  bursar: Bursar' under roles: in trust.yaml "
        "(with the title most schools use)")


@pytest.mark.parametrize("old, new, line", [
    ("    kind: incidents\n", "    kind: incident\n",
     f"{PATH}:37:11: 'incident' is not allowed here; use one of: general, preamble, scope, definitions, principles, "
     "prohibited, practice, consent, monitoring, roles, incidents, related, appendix, changes\n"
     "    hint: did you mean 'incidents'?"),
    ('numbering: "1.1 (a)"', "numbering: 1.1a",
     f"{PATH}:3:12: '1.1a' is not allowed here; use one of: none, 1, 1.1, 1.1 (a)\n    hint: did you mean '1.1'?"),
])
def test_enums_list_their_values(tmp_path, monkeypatch, capsys, old, new, line):
    assert whole(tmp_path, monkeypatch, capsys, policy=POLICY.replace(old, new)) == line


def test_a_yml_school_is_read_and_other_files_are_named(tmp_path, monkeypatch, capsys):
    src = write_tree(tmp_path / "src", {"trust.yaml": TRUST, PATH: POLICY, "schools/oak-primary.yml": SCHOOL,
                                        "schools/notes.txt": "x", "schools/.#oak-primary.yml": "",
                                        "schools/oak-primary.yml~": ""})
    monkeypatch.chdir(src)
    assert main(["validate", "--source", str(src)]) == 0
    captured = capsys.readouterr()
    assert captured.out == "1 school(s), 1 policy file(s): no errors, 1 warning(s).\n"
    assert captured.err == (
        "schools/.#oak-primary.yml: note: an Emacs lock file, not read\n"
        "schools/notes.txt: warning: this file is not read\n"
        "    hint: policyc reads only the .yaml (or .yml) files in schools/: rename it to end in .yaml if it is "
        "a source file, or move it out of the source folder\n"
        "schools/oak-primary.yml~: note: an editor's backup copy, not read\n")


def test_an_owner_that_is_no_role_of_the_trusts_is_refused_at_its_place_with_the_one_meant(
        tmp_path, monkeypatch, capsys):
    policy = POLICY.replace("numbering:", "owner: headteachr\nnumbering:", 1)
    src = write_tree(tmp_path / "src", {"trust.yaml": TRUST + "house_style: {owner: bursar}\n", PATH: policy,
                                        "schools/oak-primary.yaml": SCHOOL})
    monkeypatch.chdir(src)
    assert main(["validate", "--source", str(src)]) == 1
    err = capsys.readouterr().err
    assert "trust.yaml:5:22: the owner 'bursar' is not one of the trust's roles" in err
    assert "the trust's roles are: headteacher, dsl, chair" in err
    assert f"{PATH}:3:8: the owner 'headteachr' is not one of the trust's roles" in err
    assert "did you mean 'headteacher'?" in err and "Traceback" not in err
