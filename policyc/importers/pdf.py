"""PDF text through poppler's `pdftotext -layout`, with page furniture taken out and wrapped lines joined.

Why -layout: it keeps a hanging paragraph number on the same line as its words and the
two columns of a ratification table apart; the plain mode puts them on lines of their own.
"""

from __future__ import annotations

import html
import re
import resource
import shutil
import signal
import subprocess
import tempfile
from collections import Counter
from pathlib import Path
from typing import Optional

from policyc.errors import UserError
from policyc.importers.refusal import Refused
from policyc.limits import MAX_IMPORT_BYTES, MAX_IMPORT_LINES, MAX_TOOL_OUTPUT_BYTES, MAX_TOOL_SECONDS

_PAGE_OF = re.compile(r"\bpage\s+\d+\s+(of\s+\d+)?\s*$", re.I)
_GLYPH = "•·▪◦‣∙●○■□➢➤❖\uf020-\uf0ff"  # bullets, Word's symbol-font ones (U+F0B7 ...) among them
_MARKER = re.compile(rf"^(\d{{1,2}}(\.\d{{1,2}})*\.?|\(?[a-z]\)|[-*–{_GLYPH}]|o(?=\s)|[Ø§](?=\s+[A-Z]))(\s|(?<=[{_GLYPH}]))")
_HANGING = re.compile(rf"^(\d{{1,2}}(?:\.\d{{1,2}})*\.?|\(?[a-z]\)|[-*–{_GLYPH}]|o|[Ø§](?=\s+[A-Z]))\s{{2,}}")


def pdf_title(path: Path) -> Optional[str]:
    """The largest text on the first page, its lines joined (a title wrapped over two lines is one
    title), when it is clearly larger than the page's ordinary text; else None."""
    done = _pdftotext(["-f", "1", "-l", "1", "-bbox"], path)
    if done.returncode:
        return None
    words = [(float(m.group(2)), float(m.group(4)) - float(m.group(2)), html.unescape(m.group(5)))
             for m in re.finditer(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*?)</word>',
                                  done.stdout)]
    if len(words) < 2:
        return None
    heights = sorted(h for _, h, _ in words)
    ordinary = heights[len(heights) // 2]
    largest = heights[-1]
    if largest < ordinary * 1.4:
        return None
    big = [(y, w) for y, h, w in words if h >= largest * 0.9]
    lines: list[list[str]] = []
    last_y = None
    for y, w in big:  # in reading order, as pdftotext gives them
        if last_y is not None and abs(y - last_y) > largest * 1.6:
            break  # a second block of large text further down is not the title
        if last_y is None or abs(y - last_y) > largest * 0.3:
            lines.append([])
        lines[-1].append(w)
        last_y = y
    title = " ".join(" ".join(line) for line in lines).strip()
    return title if 1 <= len(title.split()) <= 20 else None


def _pdftotext(options: list[str], path: Path) -> subprocess.CompletedProcess:
    """pdftotext on `path` within the limits: MAX_TOOL_SECONDS, MAX_TOOL_OUTPUT_BYTES of text
    (its output goes to a temporary file it may not write past that size), a GB of memory."""
    if path.stat().st_size > MAX_IMPORT_BYTES:
        raise Refused(f"the file is larger than {MAX_IMPORT_BYTES // 1_000_000} MB, more than any policy needs")
    with tempfile.TemporaryFile() as out:
        done = subprocess.run(["pdftotext", *options, "-enc", "UTF-8", str(path), "-"], stdout=out,
                              stderr=subprocess.PIPE, timeout=MAX_TOOL_SECONDS, preexec_fn=_tool_limits)
        out.seek(0)
        text = out.read(MAX_TOOL_OUTPUT_BYTES + 1)
    if done.returncode == -signal.SIGXFSZ or len(text) > MAX_TOOL_OUTPUT_BYTES:
        raise Refused(f"its text is more than {MAX_TOOL_OUTPUT_BYTES // 1_000_000} MB, more than a policy needs")
    return subprocess.CompletedProcess(done.args, done.returncode, text.decode("utf-8", "replace"),
                                       done.stderr.decode("utf-8", "replace"))


def _tool_limits() -> None:
    """In the child, before pdftotext starts: its output file's size and its memory bounded."""
    resource.setrlimit(resource.RLIMIT_FSIZE, (MAX_TOOL_OUTPUT_BYTES, MAX_TOOL_OUTPUT_BYTES))
    resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))


def pdf_text(path: Path) -> str:
    """The PDF's text as one paragraph a line, blank lines between, tables with tabs between cells."""
    if not shutil.which("pdftotext"):
        raise UserError("importing a PDF needs poppler's pdftotext (Debian: apt-get install poppler-utils)")
    done = _pdftotext(["-layout"], path)
    if done.returncode:
        raise Refused(f"pdftotext could not read it: {done.stderr.strip()[:300]}")
    if done.stdout.count("\n") > MAX_IMPORT_LINES * 3:  # -layout leaves blank lines between paragraphs
        raise Refused(f"its text runs to {done.stdout.count(chr(10))} lines, more than a policy needs")
    pages = [p.splitlines() for p in done.stdout.split("\f")]
    furniture = _furniture(pages)
    widths = sorted(len(line.rstrip()) for page in pages for line in page if line.strip())
    full = widths[int(len(widths) * 0.9)] if widths else 80
    paragraphs: list[str] = []
    current: list[str] = []
    row: list[tuple[int, str]] = []  # the table row just read: each cell's column and text
    for page in pages:
        for raw in page:
            line = raw.rstrip()
            stripped = line.strip()
            if _is_furniture(stripped, furniture):
                continue
            if not stripped:
                if current:
                    paragraphs.append(" ".join(current))
                    current = []
                row = []
                continue
            if row and not current and _continues(line, row):  # a cell's text wrapped onto the next line
                paragraphs[-1] = "\t".join(text for _, text in row)
                continue
            stripped = _HANGING.sub(lambda m: m.group(1) + " ", stripped)
            if re.search(r"\S\s{4,}\S", stripped):
                row = _cells(line)
                stripped = re.sub(r"\s{4,}", "\t", stripped)
                if current:
                    paragraphs.append(" ".join(current))
                    current = []
                paragraphs.append(stripped)
                continue
            row = []
            if current and _MARKER.match(stripped):
                paragraphs.append(" ".join(current))
                current = []
            current.append(stripped)
            if len(line) < full * 0.6:  # a short line ends its paragraph: a heading, or a paragraph's last line
                paragraphs.append(" ".join(current))
                current = []
        if current:  # a page ends a paragraph only if the next page does not carry on (joined later by case)
            paragraphs.append(" ".join(current))
            current = []
    return "\n\n".join(paragraphs)


def _cells(line: str) -> list[tuple[int, str]]:
    """A table row's cells as pdftotext lays them out: where each starts, and its text."""
    return [(m.start(), m.group()) for m in re.finditer(r"\S+(?:\s{1,3}\S+)*", line)]


def _continues(line: str, row: list[tuple[int, str]]) -> bool:
    """Whether `line` carries on cells of the row above (a label wrapped in its column): each
    of its pieces starts where one of the row's cells starts. The row's cells take the words."""
    pieces = _cells(line)
    starts = {start: i for i, (start, _) in enumerate(row)}
    if not pieces or any(start not in starts for start, _ in pieces):
        return False
    for start, text in pieces:
        i = starts[start]
        row[i] = (start, f"{row[i][1]} {text}")
    return True


def _furniture(pages: list[list[str]]) -> set[str]:
    """Lines found on most pages (a running header or footer), compared with their digits taken out."""
    if len(pages) < 3:
        return set()
    counts: Counter = Counter()
    for page in pages:
        counts.update({_shape(line) for line in page if line.strip()})
    return {line for line, n in counts.items() if n >= max(2, (len(pages) - 1) * 0.6)}


def _is_furniture(line: str, furniture: set[str]) -> bool:
    if not line:
        return False
    if _shape(line) in furniture or _PAGE_OF.search(line) and len(_shape(line)) < 100:
        return True
    return bool(re.fullmatch(r"[A-Z](\s+[A-Z])?", line))  # letters of a diagonal watermark such as DRAFT


def _shape(line: str) -> str:
    """A line with its numbers and spacing taken out: 'Page 3 of 6' and 'Page 4 of 6' are the same furniture."""
    return re.sub(r"\s+", " ", re.sub(r"\d+", "#", line)).strip()
