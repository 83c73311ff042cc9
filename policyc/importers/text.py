"""Plain text and Markdown read into blocks: numbering, bullets and tables recognised from how lines start."""

from __future__ import annotations

import re

from policyc.importers.blocks import TextBlock

# A bullet as text carries it: the usual marks, Word's second level "o", Word's Symbol and Wingdings
# glyphs (U+F0B7 and the rest of U+F020-U+F0FF), and the letters those glyphs become when a PDF's
# text is taken out without their font ("Ø" for Wingdings' arrowhead, "§" for its square).
GLYPHS = "•·▪◦‣∙●○■□➢➤❖\uf020-\uf0ff"  # marks that are never words, whether a space follows or not
SPACED = "-*–✓✔⁃"  # marks that are when no space follows ("-5", "*emphasis*")
BULLET = re.compile(rf"^(?:[{GLYPHS}]\s*|[{SPACED}]\s+|o\s+(?=\S)|[Ø§]\s+(?=[A-Z]))")
LONE_BULLET = re.compile(rf"^(?:[{SPACED}{GLYPHS}]|o|Ø|§)$")
INNER_BULLET = re.compile("\\s+[\uf0b7\uf0a7\uf0d8\uf076\uf0fc\uf0d7\uf06e\uf0a8]\\s+")
NUMBER = re.compile(r"^(\d{1,2}(?:\.\d{1,2})*)(\.?)\s+(?:[–-]\s+)?(\S.*)$")
LETTER = re.compile(r"^\(?([a-z])\)\s+(\S.*)$")
ROMAN = re.compile(r"^\(?((?:x|ix|iv|v?i{1,3}|v))[.)]\s+(\S.*)$")
MD_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*$")
MD_ROW = re.compile(r"^\|(.*)\|$")
MD_RULE = re.compile(r"^\|?\s*:?-{2,}")
TERMINAL = re.compile(r"[.!?:;]\s*$")


def read_text(text: str, markdown: bool = False, name: str = "line") -> list[TextBlock]:
    """Blocks from plain text, one paragraph per line (or, in Markdown, per run of lines)."""
    blocks: list[TextBlock] = []
    lines = _logical_lines(text, markdown)
    run: list[tuple[int, TextBlock]] = []  # the list being read: (indent, item) for each level open
    for number, raw in _bullet_lines(lines):
        block = read_line(raw, f"{name} {number}", markdown)
        if block is None:
            continue
        previous = blocks[-1] if blocks else None
        if previous and _continues(previous, block):
            previous.text = f"{previous.text} {block.text}"
            continue
        if block.kind == "item":
            _depth(block, len(raw) - len(raw.lstrip(" ")), run, by_indent=name == "line")
        else:
            run.clear()
        blocks.append(block)
    return blocks


def _depth(block: TextBlock, indent: int, run: list[tuple[int, TextBlock]], by_indent: bool) -> None:
    """How deep a list item sits: "(i)" under "(a)", or a bullet indented under an item, is a list within it.

    "(i)" is read as a letter when it follows "(h)", and as roman numeral one otherwise. A
    change of mark that is indented further (or roman under letters) goes one level down;
    in plain text, more indent alone does too (a PDF's extracted indents are not to be trusted).
    """
    if block.marker == "letter" and block.number in ("i", "v", "x") and not any(
            b.marker == "letter" and b.number == chr(ord(block.number) - 1) for _, b in run):
        block.marker = "roman"
    mark = _mark(block)
    while run and (run[-1][0] > indent or (run[-1][0] == indent and _mark(run[-1][1]) != mark
                                           and not _under(block, run[-1][1], run))):
        same = next((i for i, (_, b) in enumerate(run) if _mark(b) == mark), None)
        if same is not None and run[-1][0] == indent:  # back out to the level with this mark
            del run[same + 1:]
            break
        run.pop()
    if not run:
        block.depth = 0
    elif _mark(run[-1][1]) == mark and run[-1][0] == indent:
        block.depth = run[-1][1].depth
        run[-1] = (indent, block)
        return
    elif _under(block, run[-1][1], run) or (indent > run[-1][0] and (by_indent or _mark(run[-1][1]) != mark)):
        block.depth = run[-1][1].depth + 1
    else:
        block.depth = run[-1][1].depth
        run[-1] = (indent, block)
        return
    run.append((indent, block))


def _mark(block: TextBlock) -> str:
    """What a list's items are marked with: a bullet's own glyph counts ("•" then "o" is a list within)."""
    return f"bullet {block.glyph}" if block.marker == "bullet" and block.glyph else block.marker or ""


def _under(block: TextBlock, above: TextBlock, run: list[tuple[int, TextBlock]]) -> bool:
    """Roman numerals under letters; a bullet of another glyph than every list open, under a bullet."""
    if block.marker == "roman" and above.marker == "letter":
        return True
    return (block.marker == "bullet" and above.marker == "bullet" and bool(block.glyph) and bool(above.glyph)
            and all(_mark(b) != _mark(block) for _, b in run))


def _bullet_lines(lines: list[tuple[int, str]]) -> list[tuple[int, str]]:
    """A bullet alone on its line joined to the words on the next; a line holding several of Word's
    symbol bullets (a list a PDF's text ran together) split into one line per item."""
    out: list[tuple[int, str]] = []
    pending: str | None = None
    for number, raw in lines:
        stripped = raw.strip()
        if LONE_BULLET.match(stripped):
            pending = raw
            continue
        if pending is not None:
            raw, pending = pending.rstrip() + " " + stripped, None
        indent = raw[:len(raw) - len(raw.lstrip())]
        first, *items = INNER_BULLET.split(raw)
        mark = m.group(0).strip() if (m := INNER_BULLET.search(raw)) else ""
        out.append((number, first))
        out += [(number, f"{indent}{mark} {item}") for item in items]
    return out


def _logical_lines(text: str, markdown: bool) -> list[tuple[int, str]]:
    """Lines with their numbers; in Markdown, a paragraph wrapped over lines is one line."""
    out: list[tuple[int, str]] = []
    joinable = False
    for number, line in enumerate(text.splitlines(), 1):
        line = line.rstrip()
        if not line.strip():
            joinable = False
            continue
        starts_new = (BULLET.match(line.lstrip()) or NUMBER.match(line.lstrip()) or LETTER.match(line.lstrip())
                      or line.lstrip().startswith(("#", "|")) or "\t" in line)
        if markdown and joinable and out and not starts_new:
            out[-1] = (out[-1][0], f"{out[-1][1]} {line.strip()}")
            continue
        out.append((number, line))
        joinable = markdown and not line.lstrip().startswith(("#", "|"))
    return out


def _continues(previous: TextBlock, block: TextBlock) -> bool:
    """A paragraph cut by a page break: it starts in lower case and the one before did not end."""
    return (block.kind == "para" and previous.kind in ("para", "numbered") and block.text[:1].islower()
            and not TERMINAL.search(previous.text) and "\t" not in previous.text)


def read_line(raw: str, where: str, markdown: bool = False) -> TextBlock | None:
    """What one line of text is: a heading, a numbered paragraph, a list item, a table row or a paragraph."""
    indent = len(raw) - len(raw.lstrip(" "))
    line = raw.strip()
    if markdown and (m := MD_HEADING.match(line)):
        title = _tidy(m.group(2))
        number = None
        if n := NUMBER.match(title):
            number, title = n.group(1), n.group(3)
        return TextBlock("heading", title, where, number=number, level=len(m.group(1)))
    if m := MD_ROW.match(line):
        if MD_RULE.match(line):
            return None
        return TextBlock("row", line, where, cells=[c.strip() for c in m.group(1).split("|")])
    bulleted, glyph = False, None
    if m := BULLET.match(line):  # before the cells: "•<tab>words" is a list item, not a row of two cells
        bulleted, glyph, line = True, _glyph(m.group(0).strip()), line[m.end():].strip()
    cells = [c.strip() for c in line.split("\t")]
    if not bulleted and (len([c for c in cells if c]) >= 2 or (len(cells) >= 2 and cells[0])):
        return TextBlock("row", line, where, cells=cells)
    line = _tidy(line)
    if not line:
        return None
    if m := NUMBER.match(line):
        number, text = m.group(1), m.group(3)
        if re.fullmatch(r"\d+\.0", number) and _looks_like_title(text):  # "2.0 Scope": section 2
            return TextBlock("heading", text, where, number=number[:-2], level=1)
        if "." not in number and _looks_like_title(text):
            return TextBlock("heading", text, where, number=number, level=1)
        if "." in number:
            return TextBlock("numbered", text, where, number=number, level=number.count(".") + 1)
        if m.group(2) == "." or not bulleted:
            return TextBlock("item", text, where, marker="decimal", depth=indent // 2, number=number)
    if m := LETTER.match(line):
        return TextBlock("item", m.group(2), where, marker="letter", depth=indent // 2, number=m.group(1))
    if bulleted:
        return TextBlock("item", line, where, marker="bullet", depth=1 if indent >= 2 else 0, glyph=glyph)
    if m := ROMAN.match(line):
        return TextBlock("item", m.group(2), where, marker="roman", depth=1, number=m.group(1))
    return TextBlock("para", line, where)


def _glyph(mark: str) -> str:
    """The bullet mark, with the letters a symbol font's glyph becomes without its font read as that glyph."""
    return {"Ø": "\uf0d8", "§": "\uf0a7", "·": "•", "\uf0b7": "•", "∙": "•"}.get(mark, mark)


def _tidy(text: str) -> str:
    """Stray emphasis marks left at the end of a line by an extraction, and doubled spaces."""
    text = re.sub(r"\s+", " ", text).strip()
    if text.endswith("**") and text.count("**") % 2 == 1:
        text = text[:-2].rstrip()
    return text


def _looks_like_title(text: str) -> bool:
    """'Introduction' or 'Social Media – What is it?', not a sentence of a paragraph."""
    return len(text) <= 90 and len(text.split()) <= 12 and text[:1].isupper() and not re.search(r"[.,;:]$", text)
