"""Every YAML syntax error reaches the user in plain words, never in the parser's grammar."""

from __future__ import annotations

from pathlib import Path

import pytest

from policyc.errors import Problems
from policyc.source.read import parse_yaml

BROKEN = [
    "title: Policy: staff\n", "a: {b: c: d}\n", "a: b\n  c: d\n", "a:\n    b: 1\n  c: 2\n", "a:\n  - x\n - y\n",
    "a:\n  b: 1\n  - x\n", "a:\n\tb: 1\n", 'a: "hello\nb: 2\n', "a: 'hello\nb: 2\n", "a: [1, 2\nb: 3\n",
    "a: {x: 1\nb: 3\n", "a: *x\n", "a: @foo\n", "a: `x`\n", 'a: "C:\\q"\n', "a: 1\nb\nc: 2\n", "a: 'x' y\n",
    "%foo\na: 1\n", "a: 1\n---\nb: 2\n", "a: *\n", "a: &\n", "a: b\x07c\n", "items:\n  - \"a\" b\n", "a: ]\n",
    "a: |x\n  b\n", "a: }\n", "- a\nb: 1\n", "a: [}\n", "a:\n  - b: 1\n   c: 2\n", "? [a]\n: b\n", "a: !\n",
]
PARSER_WORDS = ("<block", "<scalar>", "<document", "expected <", "but found", "while parsing", "while scanning",
                "not valid YAML:", "token")


def errors_of(text: str) -> list[str]:
    problems = Problems()
    parse_yaml(text, Path("x.yaml"), "x.yaml", problems)
    return [f"{p.position}: {p.message} | {p.hint}" for p in problems.errors]


@pytest.mark.parametrize("text", BROKEN)
def test_no_parser_wording_reaches_the_user(text):
    for error in errors_of(text):
        assert error.startswith("x.yaml:") and not any(w in error for w in PARSER_WORDS), error


@pytest.mark.parametrize("text, expected", [
    ('a: "C:\\q"\n', "x.yaml:1:8: a backslash inside \"...\" starts an escape such as \\n, and this one is not known"),
    ("a: |x\n  b\n", "x.yaml:1:5: after | or > nothing may follow on the same line but a digit, + or -"),
    ("a: ]\n", "x.yaml:1:4: a value cannot start with ']'"),
])
def test_rarer_yaml_mistakes_are_explained(text, expected):
    [error] = errors_of(text)
    assert error.startswith(expected + " | ")
