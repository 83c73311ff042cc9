"""Named placeholders ({{ school.name }}) and cross-references ([[clause-id]]).

Why not Jinja: clause text is written by many hands, and a template language can run
code. Here a placeholder is only ever looked up in a fixed table of names.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from typing import Callable, Iterator

# No braces (brackets) inside: each scan stops at the next opening, so text full of
# unclosed {{ or [[ is still read in one linear pass.
PLACEHOLDER = re.compile(r"\{\{([^{}]*)\}\}")
REFERENCE = re.compile(r"\[\[([^\[\]]*)\]\]")
_NAME = re.compile(r"^\s*([a-z]+\.[a-z0-9][a-z0-9_-]*)\s*(?:\|\s*([a-z]+)\s*)?$")
FILTERS = {"capital": lambda s: s[:1].upper() + s[1:], "upper": str.upper, "lower": str.lower}
_ID = re.compile(r"^\s*([a-z][a-z0-9_-]*(?:#[a-z][a-z0-9_-]*)?)\s*$")  # clause, policy or policy#clause
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~&])")


@dataclass(frozen=True)
class Use:
    """One placeholder as written: its name, filter, and the raw text for messages."""

    raw: str
    name: str
    filter: str


# A run of braces around words, or a pair of braces left alone: each is a placeholder or a
# slip in writing one ({{school.name}, { school.name }, {{ school.name }}}). A brace written
# \{ is Markdown's literal brace and is left alone.
_RUN = re.compile(r"(?<!\\)\{+[^{}]*\}+|(?<!\\)\{\{|\}\}")
_WORDS = re.compile(r"^\s*[A-Za-z][\w.-]*\s*(?:\|\s*\w+\s*)?$")


def uses(text: str) -> Iterator[Use | str]:
    """Each placeholder in `text`; a str for one that is not a valid placeholder at all,
    and for braces that are a slip in writing one."""
    for match in _RUN.finditer(text or ""):
        raw = match.group(0)
        whole = PLACEHOLDER.fullmatch(raw)
        if whole:
            parsed = _NAME.match(whole.group(1))
            if parsed and (parsed.group(2) is None or parsed.group(2) in FILTERS):
                yield Use(raw, parsed.group(1), parsed.group(2) or "")
            else:
                yield raw
        elif raw.startswith("{{") or raw.endswith("}}") or _WORDS.match(raw.strip("{}")):
            yield raw


def well_formed(raw: str) -> str:
    """What a slip such as {{School.Name} or { school.name } would be written as, or ""."""
    inner = raw.strip("{} \t\n")
    parsed = _NAME.match(inner.lower())
    if not parsed:
        return ""
    return "{{ " + parsed.group(1) + (f" | {parsed.group(2)}" if parsed.group(2) else "") + " }}"


def references(text: str) -> Iterator[str]:
    """The ids named by [[...]] in `text`; a malformed one is returned as written."""
    for match in REFERENCE.finditer(text or ""):
        parsed = _ID.match(match.group(1))
        yield parsed.group(1) if parsed else match.group(0)


def suggest(name: str, known: list[str]) -> str:
    """A known name close to `name`: in the same group (role., term. ...) by the part after the
    dot, so that the shared prefix does not make role.bursar look like role.chair."""
    group, _, key = name.lower().partition(".")
    same = {k.partition(".")[2]: k for k in known if k.partition(".")[0] == group}
    close = difflib.get_close_matches(key, list(same), n=1, cutoff=0.6)
    if close:
        return f"did you mean '{{{{ {same[close[0]]} }}}}'?"
    close = difflib.get_close_matches(name.lower(), known, n=1, cutoff=0.8)
    return f"did you mean '{{{{ {close[0]} }}}}'?" if close else ""


def declare_role(key: str, trust_file: str, title: str = "") -> str:
    """The line that declares a new role in trust.yaml, as a hint."""
    title = title or key.replace("_", " ").replace("-", " ").title()
    return f"to add the role, write '  {key}: {title}' under roles: in {trust_file} (with the title most schools use)"


# A value that is a whole email or https address becomes a Markdown autolink, so it is a
# link in the page and the PDF, not escaped text.
_EMAIL = re.compile(r"[A-Za-z0-9.+_-]+@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+")
_HTTPS = re.compile(r"https://[A-Za-z0-9.-]+(?:/[A-Za-z0-9._~/%-]*)?")


def escape_markdown(value: str) -> str:
    """Make a value appear literally in Markdown (a school called 'St *Mary*' stays so)."""
    if _EMAIL.fullmatch(value) or _HTTPS.fullmatch(value):
        return f"<{value}>"
    return _MARKDOWN_SPECIAL.sub(r"\\\1", value)


def fill(text: str, values: dict[str, str], reference: Callable[[str], str],
         markdown: bool = True) -> str:
    """Replace placeholders with values and [[id]] with `reference(id)`.

    Names were checked before rendering, so a missing one here is a bug, not bad input.
    """
    def placeholder(match: re.Match) -> str:
        parsed = _NAME.match(match.group(1))
        value = values[parsed.group(1)]
        if parsed.group(2):
            value = FILTERS[parsed.group(2)](value)
        return escape_markdown(value) if markdown else value

    def ref(match: re.Match) -> str:
        return reference(match.group(1).strip())

    return REFERENCE.sub(ref, PLACEHOLDER.sub(placeholder, text or ""))
