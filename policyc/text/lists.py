"""List markers: (a) for letters, (i) for roman numerals, a bullet otherwise, at any depth."""

from __future__ import annotations

_ROMAN = (("m", 1000), ("cm", 900), ("d", 500), ("cd", 400), ("c", 100), ("xc", 90),
          ("l", 50), ("xl", 40), ("x", 10), ("ix", 9), ("v", 5), ("iv", 4), ("i", 1))


def roman(n: int) -> str:
    out = ""
    for letters, value in _ROMAN:
        while n >= value:
            out, n = out + letters, n - value
    return out


def list_marker(style: str, index: int) -> str:
    """The marker of the item at `index` (from 0) in a list of this style."""
    if style == "letter":
        return f"({chr(97 + index % 26)})"
    if style == "roman":
        return f"({roman(index + 1)})"
    return "•"


def nested_style(parent: str) -> str:
    """The usual style of a list inside an item: (a) then (i), as English policies number them;
    bullets inside bullets."""
    return {"letter": "roman", "roman": "letter"}.get(parent, "bullet")
