"""Clause depth and count measured before the schema: reported at the clause past the limit, once."""

from __future__ import annotations

from pathlib import Path

from policyc.errors import Problems
from policyc.limits import MAX_CLAUSE_DEPTH, MAX_CLAUSES, MAX_MARKUP_NESTING
from policyc.source.bounds import within_bounds
from policyc.source.read import parse_yaml


def nested(levels: int) -> str:
    """A policy whose first section holds clauses nested `levels` deep, each on its own lines."""
    lines = ["id: p", "sections:", "  - id: s", "    clauses:"]
    for level in range(levels):
        pad = "  " * (3 + 2 * level)
        lines += [f"{pad}- id: c{level}", f"{pad}  text: Level {level}."]
        if level + 1 < levels:
            lines.append(f"{pad}  clauses:")
    return "\n".join(lines) + "\n"


def measured(text: str) -> tuple[bool, Problems]:
    problems = Problems()
    source = parse_yaml(text, Path("p.yaml"), "policies/p.yaml", problems)
    assert source is not None and not problems.errors
    return within_bounds(source, problems), problems


def test_clauses_nested_to_the_limit_pass():
    ok, problems = measured(nested(MAX_CLAUSE_DEPTH))  # a section's clauses count as the first level
    assert ok and problems.errors == []


def test_deeper_is_one_error_at_the_first_clause_past_the_limit():
    text = nested(MAX_CLAUSE_DEPTH + 3)
    ok, problems = measured(text)
    [problem] = problems.errors
    assert not ok
    assert problem.message == f"clauses nested too deeply: this is level {MAX_CLAUSE_DEPTH + 1} of sub-clauses"
    assert f"the limit is {MAX_CLAUSE_DEPTH} levels" in problem.hint
    line = text.splitlines()[problem.position.line - 1]
    assert problem.position.file == "policies/p.yaml" and line.strip() == f"- id: c{MAX_CLAUSE_DEPTH}"


def test_more_clauses_than_the_limit_is_reported_with_the_count():
    clauses = "".join(f"      - {{id: c{i}, text: Clause {i}.}}\n" for i in range(MAX_CLAUSES + 1))
    ok, problems = measured("id: p\nsections:\n  - id: s\n    clauses:\n" + clauses)
    [problem] = problems.errors
    assert not ok and problem.message == f"this file holds {MAX_CLAUSES + 1:,} clauses; the limit is {MAX_CLAUSES:,}"
    assert (problem.position.line, problem.position.column) == (1, 1)


def test_markup_nested_a_thousand_deep_is_a_located_error_not_a_recursion_error(mini, run):
    """markdown-it reads a link's label and a quote by recursion: a few hundred levels once ended
    validate with RecursionError. They are counted first, without recursion."""
    policy = mini / "policies" / "social-media.yaml"
    text = policy.read_text()
    label = "[a " * 1000 + "x" + "](https://example.org)" * 1000
    text = text.replace("Occasional personal use is allowed in breaks.", f"Occasional {label} use.")
    text = text.replace("In person or by email.", '"' + "> " * 3000 + 'x"')
    at_the_limit = "[a " * MAX_MARKUP_NESTING + "x" + "](https://example.org)" * MAX_MARKUP_NESTING
    text = text.replace("Personal use of social media at work is not allowed.", f"Not {at_the_limit}.")
    policy.write_text(text)
    result = run("validate", "--source", mini)
    assert result.code == 1 and "Traceback" not in result.err and "Recursion" not in result.err
    lines = text.splitlines()
    for needle, offset in (("Occasional [", len("Occasional ") + 3 * MAX_MARKUP_NESTING), ('"> > ', 1 + 2 * MAX_MARKUP_NESTING)):
        row = next(i for i, line in enumerate(lines, 1) if needle in line)
        col = lines[row - 1].index(needle) + offset + 1
        assert (f"policies/social-media.yaml:{row}:{col}: brackets, quotes or lists are nested more than "
                f"{MAX_MARKUP_NESTING} deep here") in result.err
    assert result.err.count("nested more than") == 2  # not the text at the limit

