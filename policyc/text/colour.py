"""Colours as WCAG measures them: a text colour must stand 4.5:1 against white to be read."""

from __future__ import annotations

import re

HEX = re.compile(r"#?([0-9A-Fa-f]{6})")
LEAST = 4.5  # WCAG 2.2 AA for body text (1.4.3)


def luminance(colour: str) -> float:
    """WCAG's relative luminance of a colour written as six hex digits, with or without '#'."""
    digits = HEX.fullmatch(colour.strip()).group(1)
    channels = []
    for i in (0, 2, 4):
        c = int(digits[i:i + 2], 16) / 255
        channels.append(c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4)
    r, g, b = channels
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(colour: str, ground: str = "FFFFFF") -> float:
    """The contrast ratio of `colour` on `ground`, from 1 (the same) to 21 (black on white)."""
    a, b = sorted((luminance(colour), luminance(ground)), reverse=True)
    return (a + 0.05) / (b + 0.05)


def is_colour(text: str) -> bool:
    return isinstance(text, str) and HEX.fullmatch(text.strip()) is not None and text.strip().startswith("#")
