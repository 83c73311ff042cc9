"""`policyc new school|policy` (policyc/cli/new.py, policyc/scaffold.py): a first file to fill in, which
validate then says what is missing from."""

from __future__ import annotations

from tests.helpers import edit

POLICY = "policies/social-media.yaml"


def test_new_school_lists_the_trusts_roles_and_policies_and_validate_names_what_is_missing(mini, run, monkeypatch):
    monkeypatch.chdir(mini)  # the files named as the user sees them from there
    made = run("new", "school", "elm-primary", "--name", "Elm Primary School", "--phase", "primary")
    assert (made.code, made.err) == (0, "")
    assert made.out == "Wrote schools/elm-primary.yaml. Fill it in, then: policyc validate\n"
    text = (mini / "schools" / "elm-primary.yaml").read_text()
    assert text.startswith("# yaml-language-server: $schema=../../schemas/school.schema.json\n")
    assert 'name: "Elm Primary School"\nphase: primary\n' in text
    assert "#   dsl: {name: ...}           # Designated Safeguarding Lead\n" in text
    assert "  social-media:   # Staff Social Media Policy\n    ratification:\n      status: draft\n" in text
    assert run("validate").out == "2 school(s), 1 policy file(s): no errors, 0 warning(s).\n"
    edit(mini / POLICY, "{{ role.dsl }}", "{{ holder.dsl }}")  # a policy that prints the holder's name
    checked = run("validate")
    assert checked.code == 1
    assert checked.err == (f"{POLICY}:41:24: {{{{ holder.dsl }}}} needs the name of Elm Primary School's "
                           "Designated Safeguarding Lead\n    hint: add dsl: {name: ...} under roles: in "
                           "schools/elm-primary.yaml\n\n1 error(s), 0 warning(s). Nothing was written.\n")
    again = run("new", "school", "elm-primary")
    assert again.code == 2 and "already exists; policyc new never overwrites a file" in again.err


def test_new_policy_is_a_file_to_fill_in(mini, run, monkeypatch):
    monkeypatch.chdir(mini)  # the files named as the user sees them from there
    made = run("new", "policy", "anti-bullying", "--name", "Anti-bullying Policy")
    assert made.code == 0, made.err
    text = (mini / "policies" / "anti-bullying.yaml").read_text()
    assert 'id: anti-bullying\ntitle: "Anti-bullying Policy"\n' in text
    checked = run("validate")
    assert checked.code == 1
    assert checked.err == ("policies/anti-bullying.yaml:20:9: the clause 'purpose-why' has no words\n"
                           "    hint: give it text, items, duties, sub-clauses, or an option with choices\n"
                           "\n1 error(s), 0 warning(s). Nothing was written.\n")
    assert run("new", "policy", "Anti Bullying").code == 2
