"""The school, its approving body and its role titles found in the text, offered as placeholders."""

from __future__ import annotations

import re
from collections import Counter
from typing import Optional

_WORD = r"(?:[A-Z][\w'’]*(?:-[\w'’]+)*|VI{0,3}|I{1,3}|[A-Z]{2,})"
# "Hawkhurst Church of England Primary School", "Hanney Pre-School", "Wool Pre-school Playgroup",
# and an academy named after its place: "Co-op Academy Grange".
SCHOOL = re.compile(rf"\b((?:The )?{_WORD}(?: (?:{_WORD}|of))*"
                    r" (?:School|Academy(?: (?!Trust\b|Board\b|Council\b|Committee\b|Governors?\b|Polic|Staff\b|"
                    r"Schools?\b)[A-Z][a-z]+\b(?! (?:School|Academy|College)))?|College|Federation|Primary|Nursery|"
                    r"Pre-?[Ss]chool(?: Playgroup)?|Playgroup))(?![\w-])")
TRUST = re.compile(rf"\b({_WORD}(?: (?:{_WORD}|of))* Trust)\b")
_NOT_A_NAME = ("This ", "Our ", "All ", "Any ", "Each ", "Every ", "The ", "A ", "An ", "Your ", "Their ", "Trust ")
ROLES = [("headteacher", r"Executive Headteacher|Headteacher|Head Teacher|Principal|Head of School"),
         ("dsl", r"Designated Safeguarding Lead|designated safeguarding lead|designated senior professional"),
         ("chair", r"Chair of Governors|Chair of the Governing Body"),
         ("it_manager", r"IT Manager|Network Manager"),
         ("dpo", r"Data Protection Officer")]


def school_name(text: str, cover_lines: list[str]) -> Optional[str]:
    """The name the document uses most for its school, preferring one written on the cover."""
    found = Counter(m.group(1) for m in SCHOOL.finditer(text))
    found = Counter({k: v for k, v in found.items() if not re.match(r"^(The )?(School|Schools)$", k)
                     and not k.startswith(("This ", "Our ", "All ", "Any "))
                     and not re.match(r"^(?:The )?(?:Pre-?[Ss]chool|Playgroup|Nursery|Academy|Primary)\b", k)})
    for line in cover_lines:
        if line in found:
            return line
    for line in cover_lines:  # a cover line that is the name the text shortens: "Noel - Baker School"
        short = line.strip()
        if len(short.split()) <= 8 and not short.endswith((".", ":")) and any(
                short.endswith(" " + k) and short != k for k in found):
            return short
    return found.most_common(1)[0][0] if found else None


def trust_name(text: str) -> Optional[str]:
    """The trust the document names most ("Beckfoot Trust", "City of London Academies Trust"), if any."""
    found = Counter(m.group(1) for m in TRUST.finditer(text) if not m.group(1).startswith(_NOT_A_NAME))
    return found.most_common(1)[0][0] if found else None


def role_titles(text: str) -> dict[str, str]:
    """Role key -> the title as the document writes it most often."""
    roles = {}
    for key, pattern in ROLES:
        found = Counter(m.group(0) for m in re.finditer(rf"\b(?:{pattern})\b", text))
        if key == "headteacher":
            found.pop("Executive Headteacher", None)
        if found:
            roles[key] = found.most_common(1)[0][0]
    return roles


def apply(text: str, school: Optional[str], body: Optional[str], roles: dict[str, str]) -> str:
    """Names replaced by the placeholders that will print them again: {{ school.name }}, {{ role.dsl }}."""
    swaps = []
    if body:
        swaps.append((body, "{{ body.name }}"))
    if school:
        swaps.append((school, "{{ school.name }}"))
    swaps += [(title, f"{{{{ role.{key} }}}}") for key, title in roles.items()]
    for words, placeholder in sorted(swaps, key=lambda s: -len(s[0])):
        text = re.sub(rf"(?<![\w{{]){re.escape(words)}(?![\w}}])", placeholder, text)
    return text
