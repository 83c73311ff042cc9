"""Word documents read into blocks: heading styles and outline levels, Word's own numbering worked out, runs as Markdown.

Why work out the numbers: Word stores "6.2" nowhere in the text. It keeps a counter per
list level in numbering.xml, and a paragraph only says which list and level it is on.
"""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import Optional

from policyc.errors import UserError
from policyc.importers.blocks import TextBlock
from policyc.importers.package import checked_package
from policyc.importers.refusal import Refused
from policyc.importers.text import read_line

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
R = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
NUMBERING, STYLES, DOCUMENT = "word/numbering.xml", "word/styles.xml", "word/document.xml"
MAX_START = 32767  # the largest number Word lets a list start at


class Numbering:
    """Word's list counters: each paragraph on a list advances its level and restarts the levels below."""

    def __init__(self, document) -> None:
        self.levels: dict[str, dict[int, tuple[str, str, int]]] = {}  # numId -> ilvl -> (format, text, start)
        self.counters: dict[str, dict[int, int]] = {}
        try:
            root = document.part.numbering_part.element
        except (KeyError, NotImplementedError, AttributeError):
            return
        abstract = {}
        for a in root.findall(f"{W}abstractNum"):
            levels = {}
            for lvl in a.findall(f"{W}lvl"):
                fmt, text, start = lvl.find(f"{W}numFmt"), lvl.find(f"{W}lvlText"), lvl.find(f"{W}start")
                if lvl.get(f"{W}ilvl") is None:
                    raise Refused("a list level (w:lvl) with no w:ilvl: which level it is is not said",
                                  NUMBERING, lvl.sourceline or 0)
                levels[word_int(lvl, "ilvl", NUMBERING, 0, 8)] = (
                    fmt.get(f"{W}val") if fmt is not None else "decimal",
                    text.get(f"{W}val") if text is not None else "",
                    word_int(start, "val", NUMBERING, 0, MAX_START) if start is not None else 1)
            abstract[a.get(f"{W}abstractNumId")] = levels
        for num in root.findall(f"{W}num"):
            ref = num.find(f"{W}abstractNumId")
            if ref is not None:
                self.levels[num.get(f"{W}numId")] = abstract.get(ref.get(f"{W}val"), {})

    def advance(self, num_id: str, ilvl: int) -> tuple[str, str]:
        """(format, number as shown) for the next paragraph on this list level."""
        levels = self.levels.get(num_id, {})
        counters = self.counters.setdefault(num_id, {})
        fmt, text, start = levels.get(ilvl, ("decimal", f"%{ilvl + 1}.", 1))
        counters[ilvl] = counters.get(ilvl, start - 1) + 1
        for deeper in [k for k in counters if k > ilvl]:
            del counters[deeper]

        def shown(m: re.Match) -> str:
            level = int(m.group(1)) - 1
            value = counters.get(level, levels.get(level, ("decimal", "", 1))[2])
            return _format(levels.get(level, ("decimal", "", 1))[0], value)
        return fmt, re.sub(r"%(\d)", shown, text)


def _format(fmt: str, value: int) -> str:
    """The number as Word shows it; letters past z go on aa, bb, ... as Word's do."""
    if fmt in ("lowerLetter", "upperLetter") and value >= 1:
        letter = chr(ord("a") + (value - 1) % 26) * ((value - 1) // 26 + 1)
        return letter if fmt == "lowerLetter" else letter.upper()
    if fmt in ("lowerRoman", "upperRoman") and value >= 1:
        return _roman(value) if fmt == "lowerRoman" else _roman(value).upper()
    return str(value)


def _roman(value: int) -> str:
    out = ""
    for size, digits in ((1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"),
                         (50, "l"), (40, "xl"), (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i")):
        count, value = divmod(value, size)
        out += digits * count
    return out


def word_int(element, name: str, part: str, lowest: int, highest: int) -> int:
    """An attribute Word writes as a number, refused at its line when it is not one or is out of range."""
    raw = element.get(f"{W}{name}")
    try:
        value = int(raw) if raw is not None and len(raw) <= 12 else None
    except ValueError:
        value = None
    if value is None or not lowest <= value <= highest:
        tag = element.tag.rsplit("}", 1)[-1]
        raise Refused(f"w:{tag} w:{name}={raw!r}: Word writes a number from {lowest} to {highest} here",
                      part, element.sourceline or 0)
    return value


def read_docx(path: Path) -> list[TextBlock]:
    try:
        import docx
        from docx.opc.exceptions import PackageNotFoundError
        from docx.table import Table
        from docx.text.paragraph import Paragraph
    except ImportError:  # pragma: no cover - a dependency in pyproject.toml
        raise UserError("importing Word documents needs python-docx (pip install python-docx)") from None
    data = checked_package(path)
    try:
        document = docx.Document(io.BytesIO(data))
    except (PackageNotFoundError, KeyError, ValueError) as exc:
        raise Refused(f"not a Word document that can be read ({exc})") from None
    numbering = Numbering(document)
    blocks: list[TextBlock] = []
    count = 0
    for child in document.element.body.iterchildren():
        if child.tag == f"{W}p":
            count += 1
            block = _paragraph(Paragraph(child, document), numbering, f"paragraph {count}")
            if block:
                blocks.append(block)
        elif child.tag == f"{W}tbl":
            table = Table(child, document)
            for row in table.rows:
                cells = [re.sub(r"\s+", " ", _cell_text(c)).strip() for c in row.cells]
                if any(cells):  # a row with no words (a layout table's spacer) says nothing
                    blocks.append(TextBlock("row", "\t".join(cells), f"table after paragraph {count}", cells=cells))
    return blocks


def _cell_text(cell) -> str:
    """A cell's words, with those of a table inside it (python-docx's cell.text leaves them out).
    The depth is bounded: package.py refuses XML nested past MAX_XML_DEPTH."""
    inner = [_cell_text(c) for table in cell.tables for row in table.rows for c in row.cells]
    return " ".join([cell.text, *inner]) if inner else cell.text


def _paragraph(paragraph, numbering: Numbering, where: str) -> Optional[TextBlock]:
    text = _markdown(paragraph)
    style = paragraph.style
    level = _heading_level(paragraph)
    num = _num_pr(paragraph)
    if not text.strip():
        return None
    if _styled_title(paragraph):  # Word's Title style: the document's title, whatever it says
        return TextBlock("para", re.sub(r"\*\*|</?(?:b|i|em|strong)>", "", text).strip(), where, title=True)
    if level:
        text = text.replace("**", "")  # a heading's bold is its style, not emphasis
    if num:
        fmt, shown = numbering.advance(*num)
        if num[1] == 0 and style is not None and (m := re.match(r"list( \w+)? (\d)$", (style.name or "").lower())):
            num = (num[0], int(m.group(2)) - 1)  # "List Bullet 2": its own list, drawn one level in
        number = shown.strip().strip("().")
        if level:
            number = re.sub(r"^(\d+)\.0$", r"\1", number)  # "2.0 Scope": section 2
            return TextBlock("heading", text, where, number=number or None, level=level)
        if fmt == "bullet":
            return TextBlock("item", text, where, marker="bullet", depth=num[1])
        if fmt in ("lowerLetter", "upperLetter"):
            return TextBlock("item", text, where, marker="letter", depth=num[1], number=number)
        if fmt in ("lowerRoman", "upperRoman"):
            return TextBlock("item", text, where, marker="roman", depth=num[1], number=number)
        if "." in number:
            return TextBlock("numbered", text, where, number=number, level=number.count(".") + 1)
        return TextBlock("item", text, where, marker="decimal", depth=num[1], number=number)
    whole_bold = bool(re.fullmatch(r"\*\*([^*]+)\*\*", text))
    if whole_bold:
        text = text[2:-2].strip()  # a paragraph all in bold: its bold says heading, not emphasis
    if level:
        block = read_line(text, where)
        number = block.number if block and block.kind in ("heading", "numbered") else None
        title = block.text if number else text
        return TextBlock("heading", title, where, number=number, level=level)
    if style is not None and style.name and (m := re.match(r"list (bullet|number)(?: (\d))?$", style.name.lower())):
        depth = int(m.group(2)) - 1 if m.group(2) else 0  # "List Bullet 2" is a list within a list
        return TextBlock("item", text, where, marker="bullet" if m.group(1) == "bullet" else "decimal", depth=depth)
    block = read_line(text, where)
    if whole_bold and block and block.kind == "para" and len(text) <= 90 and not re.search(r"[.,;:]$", text):
        return TextBlock("heading", text, where, level=1)  # a bold line standing alone, used as a heading
    if whole_bold and block and block.kind == "para":
        block.text = f"**{text}**"
    return block


def _styled_title(paragraph) -> bool:
    return any((style.name or "").lower() == "title" for style in style_chain(paragraph.style))


def style_chain(style):
    """The style, the style it is based on, and so on; a style based on itself, or a longer circle
    of them, is refused at its line: no reading of it is the one Word would give."""
    seen: list[str] = []  # style ids, as w:basedOn names them
    names: list[str] = []
    while style is not None:
        name = style.name or style.style_id or "?"
        if style.style_id in seen:
            circle = " → ".join(names[seen.index(style.style_id):] + [name])
            raise Refused(f"the style {name!r} is based on itself ({circle}): w:basedOn goes round in a circle",
                          STYLES, style.element.sourceline or 0)
        seen.append(style.style_id)
        names.append(name)
        yield style
        style = style.base_style


def _heading_level(paragraph) -> int:
    for style in style_chain(paragraph.style):
        if m := re.match(r"^heading (\d)$", (style.name or "").lower()):
            return int(m.group(1))
        ppr = style.element.pPr
        if ppr is not None and (o := ppr.find(f"{W}outlineLvl")) is not None and word_int(o, "val", STYLES, 0, 9) < 9:
            return int(o.get(f"{W}val")) + 1
    ppr = paragraph._p.pPr
    if ppr is not None and (o := ppr.find(f"{W}outlineLvl")) is not None and word_int(o, "val", DOCUMENT, 0, 9) < 9:
        return int(o.get(f"{W}val")) + 1
    return 0


def _num_pr(paragraph) -> Optional[tuple[str, int]]:
    """The list and level a paragraph is on, from its own properties or its style's."""
    pprs = [(paragraph._p.pPr, DOCUMENT)] + [(s.element.pPr, STYLES) for s in style_chain(paragraph.style)]
    for ppr, part in pprs:
        if ppr is None:
            continue
        num = ppr.find(f"{W}numPr")
        if num is not None and (nid := num.find(f"{W}numId")) is not None and nid.get(f"{W}val") != "0":
            ilvl = num.find(f"{W}ilvl")
            return nid.get(f"{W}val"), word_int(ilvl, "val", part, 0, 8) if ilvl is not None else 0
    return None


def _markdown(paragraph) -> str:
    """Runs as Markdown: bold as **, italic as *, hyperlinks as [words](address)."""
    parts = []
    for item in paragraph.iter_inner_content():
        if hasattr(item, "url"):
            words = item.text
            url = item.url or ""
            parts.append(f"[{words}]({url})" if url.startswith(("https:", "mailto:")) else words)
            continue
        text = item.text
        if not text.strip():
            parts.append(text)
            continue
        lead, core, trail = re.match(r"^(\s*)(.*?)(\s*)$", text, re.S).groups()
        if item.bold and item.italic:
            core = f"***{core}***"
        elif item.bold:
            core = f"**{core}**"
        elif item.italic:
            core = f"*{core}*"
        parts.append(lead + core + trail)
    text = "".join(parts)
    text = re.sub(r"\*\*\s*\*\*", " ", text)  # bold runs split by Word, joined again
    return re.sub(r"\s+", " ", text).strip()
