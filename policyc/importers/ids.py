"""Stable, readable ids from titles and first words: 'Monitoring' -> monitoring, unique within the policy."""

from __future__ import annotations

import re

STOP = {"a", "an", "the", "and", "or", "of", "to", "in", "on", "for", "with", "is", "are", "be", "by", "at",
        "this", "that", "it", "its", "our", "we", "you", "your", "any", "all", "as", "should", "must", "will",
        "may", "not", "if", "when", "where", "which", "who", "their", "there", "from", "into", "about"}


def slug(text: str, words: int = 4) -> str:
    text = re.sub(r"\{\{.*?\}\}|\[\[.*?\]\]|\(.*?\)|<[^>]*>", " ", text)
    tokens = re.findall(r"[a-z0-9]+", text.lower().replace("'", ""))
    kept = [t for t in tokens if t not in STOP]
    kept = kept if len(kept) >= 2 else tokens
    out = "-".join(kept[:words]).strip("-")
    if not out or not out[0].isalpha():
        out = "p-" + out if out else "paragraph"
    return out


class Ids:
    """Hands out ids, making each one unique by a number when the words repeat."""

    def __init__(self) -> None:
        self.used: set[str] = set()

    def _unique(self, base: str) -> str:
        candidate, n = base, 2
        while candidate in self.used:
            candidate, n = f"{base}-{n}", n + 1
        self.used.add(candidate)
        return candidate

    def section(self, title: str) -> str:
        return self._unique(slug(title, 5))

    def clause(self, text: str, title: bool = False) -> str:
        return self._unique(slug(text, 5 if title else 4))
