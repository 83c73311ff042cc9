"""YAML written for people: comments, keys in a sensible order, long text folded at 100 columns."""

from __future__ import annotations

import json
import re
import textwrap
from typing import Any

import yaml

WIDTH = 100
_PLAIN = re.compile(r"^[A-Za-z0-9(\[][^#:\n]*$")
_RESERVED = {"true", "false", "null", "yes", "no", "on", "off", "~", ""}


def dump(data: dict, header: list[str] = ()) -> str:
    """The file's text; the data read back from it is checked to be exactly `data`."""
    lines = [f"# {_printable(h)}" if h else "#" for h in header]
    lines += _mapping(data, 0)
    text = "\n".join(lines) + "\n"
    if yaml.load(text, Loader=yaml.BaseLoader) != _plain(data):  # values as text, as policyc reads them
        raise AssertionError("the YAML written does not read back as the imported data")
    return text


def _printable(text: str) -> str:
    """A comment's words on its one line: a newline or other control character (in a file's
    name, say) written as its escape, so it cannot end the comment and start YAML."""
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in text)


def _plain(data: Any) -> Any:
    if isinstance(data, dict):
        return {k: _plain(v) for k, v in data.items() if not k.startswith("#")}
    if isinstance(data, list):
        return [_plain(v) for v in data]
    if isinstance(data, bool):
        return "true" if data else "false"
    return data


def _mapping(data: dict, indent: int, first_prefix: str = "") -> list[str]:
    lines: list[str] = []
    pad = " " * indent
    for key, value in data.items():
        if key.startswith("#"):  # a comment line kept in its place
            lines.append(f"{pad}# {value}")
            continue
        lines += _entry(f"{key}:", value, indent)
    if first_prefix and lines:
        lines[0] = first_prefix + lines[0][len(first_prefix):]
    return lines


def _entry(head: str, value: Any, indent: int) -> list[str]:
    pad = " " * indent
    if isinstance(value, dict):
        if not value:
            return [f"{pad}{head} {{}}"]
        return [f"{pad}{head}"] + _mapping(value, indent + 2)
    if isinstance(value, list):
        if not value:
            return [f"{pad}{head} []"]
        out = [f"{pad}{head}"]
        for item in value:
            out += _item(item, indent + 2)
        return out
    return _scalar(head, value, indent)


def _item(item: Any, indent: int) -> list[str]:
    pad = " " * indent
    if isinstance(item, dict):
        lines = _mapping(item, indent + 2)
        return [pad + "- " + lines[0][indent + 2:]] + lines[1:] if lines else [pad + "- {}"]
    lines = _scalar("-", item, indent)
    return lines


def _scalar(head: str, value: Any, indent: int) -> list[str]:
    pad = " " * indent
    if value is True or value is False:
        return [f"{pad}{head} {'true' if value else 'false'}"]
    text = str(value)
    if "\n" in text:
        body = [(" " * (indent + 2) + line) if line else "" for line in text.rstrip("\n").split("\n")]
        return [f"{pad}{head} |" + ("" if text.endswith("\n") else "-")] + body
    simple = (_PLAIN.match(text) and text.lower() not in _RESERVED and text == text.strip() and not text.endswith(":")
              and not re.fullmatch(r"[-+]?[0-9][0-9_]*(\.[0-9_]*)?([eE][-+]?[0-9]+)?", text))  # "1.1", not a number
    if len(pad) + len(head) + 1 + len(text) <= WIDTH:
        return [f"{pad}{head} {text if simple else json.dumps(text, ensure_ascii=False)}"]
    if text != text.strip() or "  " in text:
        return [f"{pad}{head} {json.dumps(text, ensure_ascii=False)}"]
    inner = " " * (indent + 2)
    folded = textwrap.wrap(text, WIDTH - len(inner), break_long_words=False, break_on_hyphens=False)
    return [f"{pad}{head} >-"] + [inner + line for line in folded]


def add_school_policy(text: str, entry: dict) -> str:
    """A school file with one more entry under `policies:`, the rest of the file left exactly as it was."""
    return add_entries(text, "policies", entry)


def add_entries(text: str, key: str, entries: dict) -> str:
    """The file with `entries` added under its top-level `key:` (made at the end if there is
    none), every other line left exactly as it was: its line endings (a file in CRLF stays CRLF
    in every line), its blank lines at the end."""
    newline = "\r\n" if "\r\n" in text else "\n"
    body = text.replace("\r\n", "\n")
    trailing = body[len(body.rstrip("\n")):] or "\n"
    lines = body.rstrip("\n").split("\n")
    at = next((i for i, line in enumerate(lines) if re.match(rf"^{key}:\s*(\{{\s*\}})?\s*(#.*)?$", line)), None)
    if at is None:
        lines += [f"{key}:"] + _mapping(entries, 2)
    else:
        if re.match(rf"^{key}:\s*\{{", lines[at]):
            lines[at] = f"{key}:"  # an empty mapping written {} becomes the block its entries go in
        following = next((line for line in lines[at + 1:] if line.strip() and not line.lstrip().startswith("#")), "")
        indent = len(following) - len(following.lstrip()) if following.startswith(" ") else 2
        lines[at + 1:at + 1] = _mapping(entries, indent)
    return newline.join(lines) + trailing.replace("\n", newline)
