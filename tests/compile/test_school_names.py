"""compile/school_names.py: every name and reference in a school's copy checked for that school."""

from __future__ import annotations

import pytest

from policyc.errors import InvalidSource
from policyc.pipeline import check


def school(mini, body: str) -> None:
    (mini / "schools" / "oak-primary.yaml").write_text(body)


def test_placeholders_in_the_title_and_values_are_filled_and_checked(mini):
    """A title such as '{{ school.name }} Online Safety Policy' reaches the heading filled in."""
    path = mini / "policies" / "social-media.yaml"
    text = path.read_text()
    path.write_text(text.replace("title: Staff Social Media Policy",
                                 "title: \"{{ school.name }} Staff Social Media Policy\"\n"
                                 "values: {ict_policy: \"{{ school.short_name }} ICT Policy\"}")
                        .replace("at once.", "at once, as the {{ value.ict_policy }} says."))
    _, [policy], _ = check(mini)
    assert policy.title == "Oak Primary School Staff Social Media Policy"
    assert policy.placeholder_map()["value.ict_policy"] == "Oak Primary School ICT Policy"
    path.write_text(text.replace("title: Staff Social Media Policy", "title: \"{{ school.nmae }} Policy\""))
    with pytest.raises(InvalidSource) as caught:
        check(mini)
    [problem] = caught.value.errors
    assert "unknown placeholder {{ school.nmae }} (in the title)" in problem.message
    assert (problem.position.line, problem.position.column) == (2, 9)


def test_a_reference_to_a_clause_the_school_removed_names_what_removed_it(mini):
    """[[breaches]] in a clause the school keeps, when the school's overlay removes `breaches`:
    said at the reference, with the removal it depends on."""
    path = mini / "policies" / "social-media.yaml"
    path.write_text(path.read_text().replace("at once.", "at once (see [[breaches]])."))
    check(mini)  # the model's own copy has the clause
    school(mini, "name: Oak Primary\nphase: primary\npolicies:\n  social-media:\n    remove: [breaches]\n")
    with pytest.raises(InvalidSource) as caught:
        check(mini)
    [problem] = caught.value.errors
    assert "this removes 'breaches', but [[breaches]]" in problem.message
    assert "oak-primary.yaml" in str(problem.position.file)
