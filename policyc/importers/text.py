"""Plain text and Markdown read into blocks: numbering, bullets and tables recognised from how lines start."""

from __future__ import annotations

import re

from policyc.importers.blocks import Block

BULLET = re.compile(r"^[-•*·▪◦‣–]\s+")
NUMBER = re.compile(r"^(\d{1,2}(?:\.\d{1,2})*)(\.?)\s+(?:[–-]\s+)?(\S.*)$")
LETTER = re.compile(r"^\(?([a-z])\)\s+(\S.*)$")
ROMAN = re.compile(r"^\(?((?:x|ix|iv|v?i{1,3}|v))[.)]\s+(\S.*)$")
MD_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*$")
MD_ROW = re.compile(r"^\|(.*)\|$")
MD_RULE = re.compile(r"^\|?\s*:?-{2,}")
TERMINAL = re.compile(r"[.!?:;]\s*$")


def read_text(text: str, markdown: bool = False, name: str = "line") -> list[Block]:
    """Blocks from plain text, one paragraph per line (or, in Markdown, per run of lines)."""
    blocks: list[Block] = []
    lines = _logical_lines(text, markdown)
    run: list[tuple[int, Block]] = []  # the list being read: (indent, item) for each level open
    for number, raw in lines:
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


def _depth(block: Block, indent: int, run: list[tuple[int, Block]], by_indent: bool) -> None:
    """How deep a list item sits: "(i)" under "(a)", or a bullet indented under an item, is a list within it.

    "(i)" is read as a letter when it follows "(h)", and as roman numeral one otherwise. A
    change of mark that is indented further (or roman under letters) goes one level down;
    in plain text, more indent alone does too (a PDF's extracted indents are not to be trusted).
    """
    if block.marker == "letter" and block.number in ("i", "v", "x") and not any(
            b.marker == "letter" and b.number == chr(ord(block.number) - 1) for _, b in run):
        block.marker = "roman"
    while run and (run[-1][0] > indent or (run[-1][0] == indent and run[-1][1].marker != block.marker
                                           and not _under(block, run[-1][1]))):
        same = next((i for i, (_, b) in enumerate(run) if b.marker == block.marker), None)
        if same is not None and run[-1][0] == indent:  # back out to the level with this mark
            del run[same + 1:]
            break
        run.pop()
    if not run:
        block.depth = 0
    elif run[-1][1].marker == block.marker and run[-1][0] == indent:
        block.depth = run[-1][1].depth
        run[-1] = (indent, block)
        return
    elif _under(block, run[-1][1]) or (indent > run[-1][0] and (by_indent or run[-1][1].marker != block.marker)):
        block.depth = run[-1][1].depth + 1
    else:
        block.depth = run[-1][1].depth
        run[-1] = (indent, block)
        return
    run.append((indent, block))


def _under(block: Block, above: Block) -> bool:
    return block.marker == "roman" and above.marker == "letter"


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


def _continues(previous: Block, block: Block) -> bool:
    """A paragraph cut by a page break: it starts in lower case and the one before did not end."""
    return (block.kind == "para" and previous.kind in ("para", "numbered") and block.text[:1].islower()
            and not TERMINAL.search(previous.text) and "\t" not in previous.text)


def read_line(raw: str, where: str, markdown: bool = False) -> Block | None:
    """What one line of text is: a heading, a numbered paragraph, a list item, a table row or a paragraph."""
    indent = len(raw) - len(raw.lstrip(" "))
    line = raw.strip()
    if markdown and (m := MD_HEADING.match(line)):
        title = _tidy(m.group(2))
        number = None
        if n := NUMBER.match(title):
            number, title = n.group(1), n.group(3)
        return Block("heading", title, where, number=number, level=len(m.group(1)))
    if m := MD_ROW.match(line):
        if MD_RULE.match(line):
            return None
        return Block("row", line, where, cells=[c.strip() for c in m.group(1).split("|")])
    cells = [c.strip() for c in line.split("\t")]
    if len([c for c in cells if c]) >= 2 or (len(cells) >= 2 and cells[0]):
        return Block("row", line, where, cells=cells)
    bulleted = False
    if m := BULLET.match(line):
        bulleted, line = True, line[m.end():].strip()
    line = _tidy(line)
    if not line:
        return None
    if m := NUMBER.match(line):
        number, text = m.group(1), m.group(3)
        if "." not in number and _looks_like_title(text):
            return Block("heading", text, where, number=number, level=1)
        if "." in number:
            return Block("numbered", text, where, number=number, level=number.count(".") + 1)
        if m.group(2) == "." or not bulleted:
            return Block("item", text, where, marker="decimal", depth=indent // 2, number=number)
    if m := LETTER.match(line):
        return Block("item", m.group(2), where, marker="letter", depth=indent // 2, number=m.group(1))
    if bulleted:
        return Block("item", line, where, marker="bullet", depth=1 if indent >= 2 else 0)
    if m := ROMAN.match(line):
        return Block("item", m.group(2), where, marker="roman", depth=1, number=m.group(1))
    return Block("para", line, where)


def _tidy(text: str) -> str:
    """Stray emphasis marks left at the end of a line by an extraction, and doubled spaces."""
    text = re.sub(r"\s+", " ", text).strip()
    if text.endswith("**") and text.count("**") % 2 == 1:
        text = text[:-2].rstrip()
    return text


def _looks_like_title(text: str) -> bool:
    """'Introduction' or 'Social Media – What is it?', not a sentence of a paragraph."""
    return len(text) <= 90 and len(text.split()) <= 12 and text[:1].isupper() and not re.search(r"[.,;:]$", text)
