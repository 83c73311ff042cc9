"""The importer's own small model: a document read as a flat run of typed blocks, each with its place."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Optional


@dataclass
class TextBlock:
    """One paragraph of the document as read: what it looks like, not yet what it means.

    kind is 'heading' (a section or sub-section title), 'numbered' (a paragraph carrying
    a number such as 6.2), 'item' (a list item), 'row' (a table row) or 'para'.
    """

    kind: str
    text: str
    where: str
    number: Optional[str] = None
    level: int = 1
    marker: Optional[str] = None  # for items: 'bullet', 'letter', 'roman', 'decimal'
    depth: int = 0
    glyph: Optional[str] = None  # for bullets: the mark as written ("•", "o", "-"), a change of mark being a list within
    cells: list[str] = field(default_factory=list)
    dropped: list[str] = field(default_factory=list)  # characters left out because no font can draw them
    title: bool = False  # the document's own title by its typography: Word's Title style, page 1's largest text


@dataclass
class Unplaced:
    """Something the importer could not put anywhere, with where it came from."""

    where: str
    text: str
    why: str
