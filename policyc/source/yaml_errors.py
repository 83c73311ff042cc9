"""YAML syntax errors in plain words, at the line where the user should look.

Why: PyYAML reports "expected <block end>, but found '<block mapping start>'", often a
line after the real mistake. Each common mistake is recognised from the parser's own
description and the text around it, and explained as a person would.
"""

from __future__ import annotations

import yaml

from policyc.errors import Position

QUOTE_HINT = "put the whole value in quotes, for example: text: \"...\""
SPECIAL_START = "{[\"'*&!|>@`%#"


def _at(name: str, mark: yaml.Mark) -> Position:
    return Position(name, mark.line + 1, mark.column + 1)


def _line(text: str, mark: yaml.Mark) -> str:
    lines = text.splitlines()
    return lines[mark.line] if 0 <= mark.line < len(lines) else ""


def explain(exc: yaml.MarkedYAMLError, text: str, name: str) -> tuple[Position, str, str]:
    """(position, message, hint) for a YAML syntax error."""
    problem, context = exc.problem or "", exc.context or ""
    mark, start = exc.problem_mark, exc.context_mark
    where = _at(name, mark) if mark else Position(name, 1, 1)
    line = _line(text, mark) if mark else ""

    if problem == "mapping values are not allowed here":
        before = line[:mark.column]
        if ": " in before:
            return where, "a colon followed by a space inside a value", QUOTE_HINT
        return (where, "this line is indented more than the line above it, so it cannot start a new key",
                "line up the keys of one mapping exactly; a value's own keys go on the next lines, indented under it")
    if "that cannot start any token" in problem:
        if "'\\t'" in problem:
            return where, "a tab character: indentation in YAML must use spaces", "replace the tab with spaces"
        char = problem.split("'")[1] if "'" in problem else "this character"
        return where, f"a value cannot start with {char}", QUOTE_HINT
    if context == "while scanning an alias" or context == "while scanning an anchor":
        return (_at(name, start) if start else where,
                "a value that starts with * or & must be in quotes (YAML reads *word as a reference)", QUOTE_HINT)
    if context == "while scanning a quoted scalar":
        return (_at(name, start) if start else where, "this quote is opened but never closed",
                "close it with the same quote mark; inside \"...\" write \\\" for a quote, inside '...' write ''")
    if context.startswith("while parsing a flow"):
        opener = "[" if "sequence" in context else "{"
        closer = "]" if opener == "[" else "}"
        return (_at(name, start) if start else where,
                f"this {opener} is not closed with {closer} where YAML expects it",
                f"close it on the same line, or if the value is text that starts with {opener}, {QUOTE_HINT}")
    if context == "while scanning a simple key":
        return (_at(name, start) if start else where,
                "this line is neither 'key: value' nor a list item ('- ...')",
                "if it continues the text above, indent it further than that text's key, or put the text in "
                "quotes; if it is a key, add ': ' after it")
    if context == "expected a single document in the stream":
        return where, "a second document starts here: a source file holds one", "delete the line with ---"
    if problem.startswith("expected <block end>, but found"):
        found = problem.split("found", 1)[1].strip()
        if found == "'-'":
            return (where, "a list item ('- ') where a key was expected",
                    "list items go under a key that ends with ':', all indented the same")
        if found == "'<block mapping start>'":
            return (where, "this line is indented less than the lines above it, but more than their key",
                    "line it up with the keys it belongs with")
        value = line[mark.column:] if mark else ""
        stripped = line.split(": ", 1)[1].lstrip() if ": " in line else ""
        if stripped[:1] and stripped[:1] in SPECIAL_START or value:
            return where, "text continues after a value that YAML has already ended here", \
                "a value that starts with a quote, {, [, * or & must be quoted as a whole: " + QUOTE_HINT
    if problem.startswith("expected <block mapping start>") or problem.startswith("expected <block sequence"):
        return where, "the indentation here does not match the lines around it", \
            "line up items of one list, and keys of one mapping, exactly"
    if "escape character" in problem:
        return (where, "a backslash inside \"...\" starts an escape such as \\n, and this one is not known",
                "use single quotes instead ('C:\\folder'), or write \\\\ for a backslash")
    if "chomping or indentation indicators" in problem:
        return (where, "after | or > nothing may follow on the same line but a digit, + or -",
                "start the text on the next line, indented under the key")
    if "document start" in problem:
        return (where, "a line starting with % or --- before the content is not allowed here",
                "delete the line: a source file is one plain YAML document")
    if problem.startswith("expected the node content"):
        char = problem.rsplit("found", 1)[-1].strip()
        return (where, f"a value cannot start with {char}", QUOTE_HINT)
    # Never the parser's own words ("expected <block end>..."): they describe its grammar, not the file.
    return (where, "this line cannot be read as YAML: its indentation or punctuation does not fit the lines above",
            "check the indentation, and " + QUOTE_HINT)
