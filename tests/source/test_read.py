"""The YAML reader keeps text as written, and refuses what could surprise or harm."""

from pathlib import Path

from policyc.errors import Problems
from policyc.source.read import parse_yaml


def parse(text: str):
    problems = Problems()
    source = parse_yaml(text, Path("x.yaml"), "x.yaml", problems)
    return source, problems


def test_versions_dates_and_yes_no_stay_as_written():
    source, problems = parse("version: 1.10\nanswer: NO\nwhen: 2024-01-05\nn: 007\non: yes\n")
    assert not problems.errors
    assert source.data == {"version": "1.10", "answer": "NO", "when": "2024-01-05", "n": "007", "on": "yes"}


def test_only_lower_case_true_false_null_are_not_text():
    source, _ = parse("a: true\nb: false\nc: null\nd: True\ne: 'true'\nf:\n")
    assert source.data == {"a": True, "b": False, "c": None, "d": "True", "e": "true", "f": None}


def test_duplicate_key_is_reported_where_it_repeats():
    _, problems = parse("name: A\nphase: primary\nname: B\n")
    [error] = problems.errors
    assert str(error.position) == "x.yaml:3:1"
    assert "duplicate key 'name'" in error.message and "line 1" in error.message


def test_python_tags_cannot_construct_objects():
    source, problems = parse("a: !!python/object/apply:os.system [echo hacked]\n")
    assert source.data == {"a": None}
    assert "'!!python/object/apply:os.system' is not allowed" in problems.errors[0].message


def test_every_value_knows_its_line_and_column():
    source, _ = parse("sections:\n  - id: a\n    title: Hello\n")
    assert str(source.at(("sections", 0, "title"))) == "x.yaml:3:12"
    assert str(source.key_at(("sections", 0, "title"))) == "x.yaml:3:5"


def test_broken_yaml_points_at_the_problem():
    source, problems = parse("a: [1, 2\nb: 3\n")
    assert source is None
    assert problems.errors[0].message == "this [ is not closed with ] where YAML expects it"
    assert str(problems.errors[0].position) == "x.yaml:1:4"


def test_merge_keys_are_refused():
    _, problems = parse("other:\n  <<: {x: 1}\n")
    assert "merge keys" in problems.errors[0].message
