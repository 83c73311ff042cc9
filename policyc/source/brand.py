"""A trust's or school's `brand:` (logo and accent colour), read and checked once for every renderer.

Why the logo's bytes are read here and not by the writers: a renderer may read only the
project's own assets and what the sources hold once checked, so a logo outside the source
folder, an SVG that would fetch a file or a web address, or an accent too pale to read is
refused with its line and column before anything is written.
"""

from __future__ import annotations

import re
import struct
import xml.etree.ElementTree as ElementTree
from pathlib import Path
from typing import Optional

from policyc.errors import Problems
from policyc.model import Brand, Logo
from policyc.names import PathEscape, inside
from policyc.source.read import SourceFile
from policyc.text.colour import LEAST, contrast, is_colour

MAX_LOGO_BYTES = 512 * 1024  # a logo in a header; a photograph is not one
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
SVG = "{http://www.w3.org/2000/svg}svg"
# What an SVG could fetch or run: refused, so it draws with what it holds and nothing more.
_SVG_REFUSED = re.compile(rb"<!DOCTYPE|<!ENTITY|<script|<foreignObject|<image|<use\b|@import", re.I)
_SVG_LINK = re.compile(rb"""(?:href\s*=\s*["']|url\(\s*["']?)(?!#)""", re.I)
_LENGTH = re.compile(r"\s*([0-9.]+)\s*(px)?\s*")


def read_brand(source: SourceFile, root: Path, problems: Problems, path: tuple = ("brand",)) -> Brand:
    """The brand a trust.yaml or school file gives, its problems reported; Brand() if none."""
    data = source.data.get("brand") if isinstance(source.data, dict) else None
    if not isinstance(data, dict):
        return Brand()
    accent = _accent(data.get("accent"), source, problems, path + ("accent",))
    logo = _logo(data.get("logo"), source, root, problems, path + ("logo",))
    return Brand(logo, accent)


def _accent(value: Optional[str], source: SourceFile, problems: Problems, path: tuple) -> str:
    if value is None:
        return ""
    where = source.at(path)
    if not is_colour(value):
        problems.error(where, f"{value!r} is not a colour policyc can check",
                       "write it as # and six hexadecimal digits, such as \"#14506e\" (quoted: YAML reads # as a comment)")
        return ""
    ratio = contrast(value)
    if ratio < LEAST:
        problems.error(where, f"the accent colour {value} has a contrast of {ratio:.2f}:1 against white; "
                       f"headings in it need {LEAST}:1 or more to be read",
                       f"a darker shade passes, such as {darker(value)}")
        return ""
    return value.strip().lower()


def darker(colour: str) -> str:
    """The same hue darkened, step by step, until it stands 4.5:1 on white."""
    r, g, b = (int(colour.strip().lstrip("#")[i:i + 2], 16) for i in (0, 2, 4))
    while contrast(f"{r:02x}{g:02x}{b:02x}") < LEAST:
        r, g, b = (int(c * 0.95) for c in (r, g, b))
    return f"#{r:02x}{g:02x}{b:02x}"


def _logo(data: Optional[dict], source: SourceFile, root: Path, problems: Problems, path: tuple) -> Optional[Logo]:
    if not isinstance(data, dict) or not isinstance(data.get("file"), str) or not data.get("alt"):
        return None  # the schema has said what is missing
    name, where = data["file"], source.at(path + ("file",))
    try:
        file = inside(root, name)
    except PathEscape:
        problems.error(where, f"the logo {name!r} is outside the source folder",
                       "put the logo in the source folder, such as brand/logo.svg, and name it from there")
        return None
    suffix = file.suffix.lower()
    if suffix not in (".svg", ".png"):
        problems.error(where, f"the logo {name!r} is not an SVG or PNG file",
                       "save the logo as .svg (best: sharp at any size) or .png")
        return None
    if not file.is_file():
        problems.error(where, f"there is no logo file {name!r} in the source folder",
                       f"the path is read from the source folder ({root.name}/), such as brand/logo.svg")
        return None
    if file.stat().st_size > MAX_LOGO_BYTES:
        problems.error(where, f"the logo {name!r} is {file.stat().st_size // 1024} KB; a logo may be "
                       f"{MAX_LOGO_BYTES // 1024} KB at most", "save it smaller, or as an SVG")
        return None
    raw = file.read_bytes()
    size = _png_size(raw) if suffix == ".png" else _svg_size(raw)
    if isinstance(size, str):
        problems.error(where, f"the logo {name!r} {size}", "export it again from the program that drew it")
        return None
    alt = " ".join(str(data["alt"]).split())
    return Logo(raw, "image/png" if suffix == ".png" else "image/svg+xml", alt, *size)


def _png_size(raw: bytes):
    if not raw.startswith(PNG_SIGNATURE) or raw[12:16] != b"IHDR":
        return "is not a PNG image"
    width, height = struct.unpack(">II", raw[16:24])
    return (float(width), float(height)) if width and height else "has no size"


def _svg_size(raw: bytes):
    """Its width and height (or its viewBox's), once it is known to fetch and run nothing."""
    if _SVG_REFUSED.search(raw) or _SVG_LINK.search(raw):
        return ("links to a file, an image or a web address, or holds a script; "
                "a logo must draw with what the SVG itself holds")
    try:
        root = ElementTree.fromstring(raw)
    except ElementTree.ParseError as exc:
        return f"is not a readable SVG file ({exc})"
    if root.tag != SVG:
        return "is not an SVG image (its first element is not <svg>)"
    box = (root.get("viewBox") or "").replace(",", " ").split()
    width, height = (_length(root.get(k)) for k in ("width", "height"))
    if (not width or not height) and len(box) == 4:
        try:
            width, height = float(box[2]), float(box[3])
        except ValueError:
            pass
    return (width, height) if width and height else "gives no size (a width and height, or a viewBox)"


def _length(text: Optional[str]) -> float:
    match = _LENGTH.fullmatch(text or "")
    return float(match.group(1)) if match else 0.0
