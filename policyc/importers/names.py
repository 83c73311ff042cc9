"""The school, its approving body and its role titles found in the text, offered as placeholders."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
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


# A role that ends like a school's name: "Head of School" (Maggie Latimer), not a school.
ROLE_NOT_SCHOOL = re.compile(r"^(?:(?:Deputy|Assistant|Associate|Executive|Acting) )?Heads? of (?:the )?School$")


def school_name(text: str, cover_lines: list[str]) -> Optional[str]:
    """The name the document uses most for its school, preferring one written on the cover."""
    found = Counter(m.group(1) for m in SCHOOL.finditer(text))
    found = Counter({k: v for k, v in found.items() if not re.match(r"^(The )?(School|Schools)$", k)
                     and not k.startswith(("This ", "Our ", "All ", "Any "))
                     and not re.match(r"^(?:The )?(?:Pre-?[Ss]chool|Playgroup|Nursery|Academy|Primary)\b", k)
                     and not ROLE_NOT_SCHOOL.match(k)})
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


HONORIFIC = r"(?:(?:Mr|Mrs|Ms|Miss|Mx|Dr|Rev|Revd)\.? )"


def apply(text: str, school: Optional[str], body: Optional[str], roles: dict[str, str],
          holders: Optional[dict[str, str]] = None) -> str:
    """Names replaced by the placeholders that will print them again: {{ school.name }}, {{ role.dsl }},
    and a role holder's name as {{ holder.KEY }} (a "Mr" before it stays as written). A name that
    is the end of a longer one ("Governing Body" in "Local Governing Body") is another name, and stays."""
    for key, name in sorted((holders or {}).items(), key=lambda h: -len(h[1])):
        text = re.sub(rf"(?<![\w{{]){re.escape(name)}(?![\w}}])", f"{{{{ holder.{key} }}}}", text)
    swaps = []
    if body:
        swaps.append((body, "{{ body.name }}"))
    if school:
        swaps.append((school, "{{ school.name }}"))
    swaps += [(title, f"{{{{ role.{key} }}}}") for key, title in roles.items()]
    for words, placeholder in sorted(swaps, key=lambda s: -len(s[0])):
        text = re.sub(rf"(?<![\w{{]){re.escape(words)}(?![\w}}])",
                      lambda m: m.group(0) if _LONGER.search(m.string, 0, m.start()) else placeholder, text)
    return text


# A capitalised word just before a name, making it part of a longer one: not a sentence's
# first word, nor a word such as "The" or "Our" that only points at it.
_LONGER = re.compile(r"(?<![.!?:;]\s)(?<!^)\b(?!(?:The|Our|This|That|Each|Every|Its|Their|Your|A|An|Any|All) $)"
                     r"[A-Z][a-z]+ $")


# What one school's copy says that another school's would not, found in a model after its
# placeholders are written: people, dates, addresses and numbers to reach the school by.
_LEFT = [("a person's name", re.compile(rf"\b{HONORIFIC}[A-Z][a-z]+(?:[- ][A-Z][a-z'’-]+)*")),
         ("a date", re.compile(r"\b(?:\d{1,2}(?:st|nd|rd|th)? )?(?:January|February|March|April|May|June|July|"
                               r"August|September|October|November|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|"
                               r"Nov|Dec)\.?,? (?:19|20)\d\d\b|\b\d{1,2}/\d{1,2}/(?:19|20)?\d\d\b|"
                               r"\b(?:19|20)\d\d-\d\d-\d\d\b")),
         ("a governing body's name", re.compile(r"\b(?:(?:Local|Full) )?Governing (?:Body|Board)\b|\bBoard of "
                                                r"(?:Trustees|Governors|Directors)\b|\bTrust Board\b|\bLocal "
                                                r"(?:Academy|Advisory|School) (?:Committee|Board|Council)\b|\bFGB\b|"
                                                r"\bLGB\b")),
         ("an email address", re.compile(r"\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b")),
         ("a telephone number", re.compile(r"(?<![\w.])(?:\+44 ?|0)\d{2,4}[ ]?\d{3,4}[ ]?\d{3,4}\b")),
         ("a web address", re.compile(r"\bhttps?://[^\s)\]>]+|\bwww\.[\w.-]+\w"))]


@dataclass(frozen=True)
class Left:
    """A school-specific fact --placeholders could not make a placeholder: the words, the kind of
    fact ("a date", "a school's name" ...) and where it first is."""

    text: str
    kind: str
    where: str


def left_as_written(texts: list[tuple[str, str]], school: Optional[str] = None) -> list[Left]:
    """Each school-specific fact still in a model's texts ((where, text) pairs), once, with where
    it first is: what --placeholders could not turn into a placeholder."""
    seen: dict[tuple[str, str], str] = {}
    for where, text in texts:
        for kind, pattern in _LEFT:
            for m in pattern.finditer(text):
                seen.setdefault((m.group(0), kind), where)
        for m in SCHOOL.finditer(text):  # another setting's name, or another form of this one's
            found = m.group(1)
            if found != school and not found.startswith(_NOT_A_NAME) and " " in found:
                seen.setdefault((found, "a school's name"), where)
    return [Left(text, kind, where) for (text, kind), where in seen.items()]
