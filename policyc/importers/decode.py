"""A text or Markdown file's bytes as the text to import: its size and lines limited, its encoding
found, its control characters taken out, and each of these said in the report.

The rule for characters (README "Importing"): a tab, a line break and a form feed (a page
break, read as a line break) are kept; every other control character is taken out: the
C0 controls (NUL, ESC, BEL ...), DEL, the C1 controls U+0080 to U+009F, and the bidi
embedding, override and isolate marks U+202A to U+202E and U+2066 to U+2069, which
reorder what a reader sees without being seen. A terminal's colour code (ESC [ 31 m) goes
as a whole. None of them is a word of a policy; the report says how many went, and where.

Text in UTF-16 with its byte order mark (Notepad's "Unicode") is read as that. Other
text that is not UTF-8 is read as Windows-1252, the encoding Notepad and Word's "Plain
Text" wrote for years in England, and the report says so; bytes Windows-1252 does not
have either are refused at their line and column.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from policyc.importers.package import bounded_read
from policyc.importers.refusal import Refused
from policyc.limits import MAX_IMPORT_LINES, MAX_IMPORT_TEXT_BYTES

FALLBACK = "cp1252"
_CONTROLS = re.compile("\x1b\\[[0-9;?]*[ -/]*[@-~]|[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


@dataclass(frozen=True)
class ReadAsWindows1252:
    """A note for the report: the file is not UTF-8 (its first byte that is not, here), so it was read as Windows-1252."""

    line: int
    column: int


@dataclass(frozen=True)
class ControlsTakenOut:
    """A note for the report: control characters taken out, how many of each, and the first lines they were on."""

    counts: tuple[tuple[str, int], ...]  # ("U+0007", 2), ("ESC [ sequence", 1) ..., by name
    lines: tuple[int, ...]  # the first few lines (at most five), in order

    @property
    def total(self) -> int:
        return sum(n for _, n in self.counts)


Note = ReadAsWindows1252 | ControlsTakenOut  # what reading did to a file's text (cli/importing.py words it)


def text_of(path: Path, notes: list[Note]) -> str:
    """The file's text, its line breaks as \\n; what was done to it is added to `notes`."""
    data = bounded_read(path, MAX_IMPORT_TEXT_BYTES)
    lines = data.count(b"\n") + 1
    if lines > MAX_IMPORT_LINES:
        raise Refused(f"{lines} lines, more than the {MAX_IMPORT_LINES} a policy needs (is it the right file?)")
    text = _decoded(data, notes)
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\f", "\n")
    return without_controls(text, notes)


def _decoded(data: bytes, notes: list[Note]) -> str:
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):  # Notepad's "Unicode": UTF-16 with its byte order mark
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise Refused(f"the file says it is UTF-16 but byte {exc.start} is not; save it as UTF-8") from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        utf8_error = exc
    try:
        text = data.decode(FALLBACK)
    except UnicodeDecodeError as exc:
        line, column = _place(data, utf8_error.start)
        raise Refused(f"the byte 0x{data[exc.start]:02X} is not UTF-8 (nor Windows-1252): save the file as "
                      "UTF-8 and import it again", line=line, column=column) from None
    line, column = _place(data, utf8_error.start)
    notes.append(ReadAsWindows1252(line, column))
    return text


def _place(data: bytes, offset: int) -> tuple[int, int]:
    before = data[:offset]
    return before.count(b"\n") + 1, offset - (before.rfind(b"\n") + 1) + 1


def without_controls(text: str, notes: list[Note]) -> str:
    """`text` with control characters taken out (the rule above), and a note of them."""
    found: dict[str, int] = {}
    lines: list[int] = []

    def drop(m: re.Match) -> str:
        name = "ESC [ sequence" if len(m.group()) > 1 else f"U+{ord(m.group()):04X}"
        found[name] = found.get(name, 0) + 1
        if len(lines) < 5:
            lines.append(text.count("\n", 0, m.start()) + 1)
        return ""
    cleaned = _CONTROLS.sub(drop, text)
    if found:
        notes.append(ControlsTakenOut(tuple(sorted(found.items())), tuple(sorted(set(lines)))))
    return cleaned
