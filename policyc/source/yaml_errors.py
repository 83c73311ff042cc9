"""YAML syntax errors in plain words, at the line where the user should look.

Why: PyYAML reports "expected <block end>, but found '<block mapping start>'", often a
line after the real mistake. Each common mistake is recognised from the parser's own
description and the text around it, and explained as a person would.
"""

from __future__ import annotations

import re

import yaml

from policyc.errors import Position

QUOTE_HINT = "put the whole value in quotes, for example: text: \"...\""
SPECIAL_START = "{[\"'*&!|>@`%#"
_KEY = re.compile(r"[a-z_][a-z0-9_-]*")


def _at(name: str, mark: yaml.Mark) -> Position:
    return Position(name, mark.line + 1, mark.column + 1)


def _line(text: str, mark: yaml.Mark) -> str:
    lines = text.splitlines()
    return lines[mark.line] if 0 <= mark.line < len(lines) else ""


def _quoted(line: str) -> str:
    """`key: value` as it would be written with the value in quotes: the hint's own fix."""
    indent = line[:len(line) - len(line.lstrip())]
    body = line.strip()
    dash = ""
    if body.startswith("- "):
        dash, body = "- ", body[2:].lstrip()
    key, sep, value = body.partition(": ")
    if not sep or not _KEY.fullmatch(key):
        value, key = body, ""
    value = value.strip()
    if value[:1] in "\"'" and value[-1:] == value[:1] and len(value) > 1:
        return ""
    quoted = '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    return f"{indent}{dash}{key + ': ' if key else ''}{quoted}".strip()


def _quote_hint(line: str) -> str:
    fixed = _quoted(line)
    return f"put the whole value in quotes: {fixed}" if fixed else QUOTE_HINT


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _key_of(line: str) -> str:
    body = line.strip()
    key, sep, _ = body.partition(":")
    return key if sep and key and " " not in key and not key.startswith("-") else ""


def _dash_above(lines: list[str], number: int, column: int) -> tuple[int, str] | None:
    """The list item whose dash is at `column`, above line `number` (0-based), with its first key."""
    for i in range(number - 1, -1, -1):
        above = lines[i]
        if not above.strip() or above.lstrip().startswith("#"):
            continue
        if _indent(above) < column:
            return None
        if _indent(above) == column:
            if above[column:column + 2] == "- ":
                return i, _key_of(above[column + 2:])
            return None
    return None


def _key_at_dash(text: str, mark: yaml.Mark, name: str):
    """A key written at the column of its list item's dash, not under the item's first key."""
    lines = text.splitlines()
    if not 0 <= mark.line < len(lines):
        return None
    line = lines[mark.line]
    key = _key_of(line)
    if not key or line.lstrip().startswith("- "):
        return None
    found = _dash_above(lines, mark.line, _indent(line))
    if found is None:
        return None
    number, first = found
    column = _indent(line) + 2
    where = Position(name, mark.line + 1, _indent(line) + 1)
    message = (f"the key {key!r} is at the column of the dash of the list item on line {number + 1}, "
               f"so it belongs to no item")
    if key == first:
        hint = (f"if it starts a new item, write '- ' before it ({' ' * (column - 2)}- {line.strip()}); "
                f"if it belongs to the item on line {number + 1}, move it 2 spaces right, under {first!r}")
    else:
        hint = (f"move it 2 spaces right, under {first!r} on line {number + 1}" if first else
                "move it 2 spaces right, to line up with the item's keys")
    return where, message, hint


def explain(exc: yaml.MarkedYAMLError, text: str, name: str) -> tuple[Position, str, str]:
    """(position, message, hint) for a YAML syntax error."""
    problem, context = exc.problem or "", exc.context or ""
    mark, start = exc.problem_mark, exc.context_mark
    where = _at(name, mark) if mark else Position(name, 1, 1)
    line = _line(text, mark) if mark else ""

    if mark and problem.startswith("expected <block end>, but found"):
        at_dash = _key_at_dash(text, mark, name)
        if at_dash:
            return at_dash
    if problem == "mapping values are not allowed here":
        before = line[:mark.column]
        if ": " in before:
            return where, "a colon followed by a space inside a value", _quote_hint(line)
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
            first = stripped[:1] if stripped[:1] in SPECIAL_START else "a quote, {, [, * or &"
            fixed = _quoted(line)
            return where, "text continues after a value that YAML has already ended here", \
                (f"a value that starts with {first} must be quoted as a whole: "
                 + (fixed if fixed else QUOTE_HINT))
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
