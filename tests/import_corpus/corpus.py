"""The import corpus: real published policies, each marked up by hand, written out as the
files a trust would bring (plain text, Word with heading styles and automatic numbering, a PDF
saved from Word), imported with no hand edits, built, and scored against the hand-made marks.

A document is a `.policy` file in documents/: a YAML header (where the text came from, the
title, status and dates as written, what must not appear), `---`, then one line per paragraph:

    T  the title                      P  a paragraph
    H1 1. | Introduction              H2 | a heading without a number
    N2 1.1 | a numbered paragraph     D1 6. | an item of a numbered list (its number as written)
    L1 (a) | a lettered item          B1 a bullet   B2 a bullet in a list within the list
    R  cell | cell | cell             (a table row)

The header's `bullet:` says which glyph the Word file's bullets use ("symbol": Word's own
Symbol-font U+F0B7; "wingdings-arrow": U+F0D8; "wingdings-square": U+F0A7; "-"), and so what a
PDF saved from it carries; `manual_numbers: true` types the numbers in the Word file instead of
using Word's automatic numbering.
"""

from __future__ import annotations

import contextlib
import html.parser
import io
import re
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional

import yaml

DOCUMENTS = Path(__file__).resolve().parent / "documents"
FORMATS = ("txt", "docx", "pdf")

GLYPHS = {  # bullet: (glyph in the Word file, its font, the second-level glyph, its font)
    "symbol": ("\uf0b7", "Symbol", "o", "Courier New"),
    "wingdings-arrow": ("\uf0d8", "Wingdings", "\uf0a7", "Wingdings"),
    "wingdings-square": ("\uf0a7", "Wingdings", "\uf0a7", "Wingdings"),
    "-": ("-", None, "o", "Courier New"),
    "•": ("•", None, "o", "Courier New"),
}


@dataclass
class Line:
    kind: str  # T P H N D L B R
    level: int
    number: Optional[str]
    text: str
    cells: list[str] = field(default_factory=list)


@dataclass
class Document:
    name: str
    meta: dict
    lines: list[Line]

    @property
    def headings(self) -> list[tuple[int, str]]:
        return [(ln.level, ln.text) for ln in self.lines if ln.kind == "H"]

    @property
    def numbers(self) -> list[str]:
        """Every paragraph, heading and list number as the document shows it, without its dot or brackets."""
        return [bare(ln.number) for ln in self.lines if ln.number]

    @property
    def words(self) -> list[str]:
        """Every paragraph's words (table cells one by one)."""
        out = []
        for ln in self.lines:
            out += ln.cells if ln.kind == "R" else [ln.text]
        return out


def bare(number: str) -> str:
    return number.strip().strip("().").removesuffix(".0")


def load(path: Path) -> Document:
    head, body = path.read_text(encoding="utf-8").split("\n---\n", 1)
    lines = []
    for raw in body.splitlines():
        if not raw.strip():
            continue
        tag, _, rest = raw.partition(" ")
        kind, level = tag[0], int(tag[1:] or 1)
        number = None
        if kind in "THNDL" and " | " in f" {rest}":
            number, _, rest = f" {rest}".partition(" | ")
            number = number.strip() or None
        cells = [c.strip() for c in rest.split(" | ")] if kind == "R" else []
        lines.append(Line(kind, level, number, rest.strip(), cells))
    return Document(path.stem, yaml.safe_load(head), lines)


def documents(names: Optional[list[str]] = None) -> list[Document]:
    found = [load(p) for p in sorted(DOCUMENTS.glob("*.policy"))]
    return [d for d in found if not names or d.name in names]


# ---- writing the document out as a trust would have it ----------------------------------

def write_text(doc: Document, path: Path) -> None:
    """Plain text as copied out of a web page or a Word file: one paragraph a line, numbers typed,
    bullets as the glyph the page shows, a list within a list indented with "o"."""
    bullet = {"symbol": "•", "wingdings-arrow": "•", "wingdings-square": "▪"}.get(doc.meta.get("bullet", "•"),
                                                                               doc.meta.get("bullet", "•"))
    out = []
    for ln in doc.lines:
        if ln.kind == "R":
            out.append("\t".join(ln.cells))
        elif ln.kind == "B":
            out.append(f"{bullet} {ln.text}" if ln.level == 1 else f"{'    ' * (ln.level - 1)}o {ln.text}")
        elif ln.number:
            out.append(f"{ln.number} {ln.text}")
        else:
            out.append(ln.text)
    path.write_text("\n\n".join(out) + "\n", encoding="utf-8")


def write_docx(doc: Document, path: Path) -> None:
    """Word as a school makes it: Title and Heading styles, Word's automatic numbering for
    numbered headings, paragraphs and lists (unless the header says numbers were typed), Word's
    own bullet glyphs in their symbol fonts, tables as tables."""
    import docx
    from docx.oxml.ns import nsdecls

    from tests.importers.word import add_list, put_on_list

    document = docx.Document()
    glyph, font, glyph2, font2 = GLYPHS[doc.meta.get("bullet", "symbol")]
    manual = doc.meta.get("manual_numbers", False)
    outline = _outline(doc)
    add_list(document, f"""<w:abstractNum {nsdecls('w')} w:abstractNumId="81"><w:multiLevelType w:val="multilevel"/>
      {''.join(f'<w:lvl w:ilvl="{i}"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="{t}"/></w:lvl>'
               for i, t in enumerate(outline))}</w:abstractNum>""", 81)
    add_list(document, f"""<w:abstractNum {nsdecls('w')} w:abstractNumId="82"><w:multiLevelType w:val="hybridMultilevel"/>
      {_bullet_level(0, glyph, font)}{_bullet_level(1, glyph2, font2)}{_bullet_level(2, glyph2, font2)}</w:abstractNum>""", 82)
    lists = 83
    table_rows: list[list[str]] = []

    def flush_table():
        if table_rows:
            width = max(len(r) for r in table_rows)
            table = document.add_table(rows=len(table_rows), cols=width)
            for row, cells in zip(table.rows, table_rows):
                for cell, words in zip(row.cells, cells):
                    cell.text = words
            table_rows.clear()

    previous = None
    for ln in doc.lines:
        if ln.kind != "R":
            flush_table()
        if ln.kind == "R":
            table_rows.append(ln.cells)
        elif ln.kind == "T":
            document.add_paragraph(f"{ln.number} {ln.text}" if ln.number else ln.text, style="Title")
        elif ln.kind == "P":
            document.add_paragraph(ln.text)
        elif ln.kind == "H":
            text = f"{ln.number} {ln.text}" if ln.number and manual else ln.text
            p = document.add_paragraph(text, style=f"Heading {ln.level}")
            if ln.number and not manual:
                put_on_list(p, ln.number.count(".") if not ln.number.endswith((".", ".0")) else 0, 81)
        elif ln.kind == "N":
            p = document.add_paragraph(f"{ln.number} {ln.text}" if manual else ln.text)
            if not manual:
                put_on_list(p, ln.number.count("."), 81)
        elif ln.kind in "DL":
            if manual:
                document.add_paragraph(f"{ln.number} {ln.text}")
            else:
                if previous is None or previous.kind != ln.kind:
                    lists += 1
                    fmt, text = (("decimal", "%1.") if ln.kind == "D" else ("lowerLetter", "(%1)"))
                    add_list(document, f"""<w:abstractNum {nsdecls('w')} w:abstractNumId="{lists}">
                      <w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="{fmt}"/><w:lvlText w:val="{text}"/>
                      </w:lvl></w:abstractNum>""", lists)
                put_on_list(document.add_paragraph(ln.text), 0, lists)
        elif ln.kind == "B":
            put_on_list(document.add_paragraph(ln.text), ln.level - 1, 82)
        previous = ln
    flush_table()
    document.save(str(path))


def _outline(doc: Document) -> list[str]:
    """Word's level texts for the document's numbered headings and paragraphs: '%1.' or '%1.0', '%1.%2' ..."""
    first = next((ln.number for ln in doc.lines if ln.kind == "H" and ln.number and ln.level == 1), "1.")
    top = "%1.0" if first.endswith(".0") else "%1." if first.endswith(".") else "%1"
    return [top, "%1.%2", "%1.%2.%3"]


def _bullet_level(level: int, glyph: str, font: Optional[str]) -> str:
    fonts = f'<w:rPr><w:rFonts w:ascii="{font}" w:hAnsi="{font}" w:hint="default"/></w:rPr>' if font else ""
    left = 720 * (level + 1)
    return (f'<w:lvl w:ilvl="{level}"><w:start w:val="1"/><w:numFmt w:val="bullet"/><w:lvlText w:val="{glyph}"/>'
            f'<w:lvlJc w:val="left"/><w:pPr><w:ind w:left="{left}" w:hanging="360"/></w:pPr>{fonts}</w:lvl>')


def write_pdf(doc: Document, path: Path, work: Path) -> None:
    """A PDF saved from the Word file, through LibreOffice, as schools publish them."""
    source = work / f"{path.stem}-for-pdf.docx"
    write_docx(doc, source)
    done = subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{work}/lo-profile",
                           "--convert-to", "pdf", "--outdir", str(work), str(source)],
                          capture_output=True, text=True, timeout=180)
    made = work / f"{source.stem}.pdf"
    if done.returncode or not made.is_file():
        raise RuntimeError(f"LibreOffice could not save {source.name} as PDF: {done.stderr[-400:]}")
    made.rename(path)


def write(doc: Document, fmt: str, work: Path) -> Path:
    path = work / f"{doc.name}.{fmt}"
    if fmt == "txt":
        write_text(doc, path)
    elif fmt == "docx":
        write_docx(doc, path)
    else:
        write_pdf(doc, path, work)
    return path


# ---- reading the built page back ----------------------------------------------------------

class _PageText(html.parser.HTMLParser):
    """The built page's words as a reader sees them (list markers and numbers included), and its headings."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.headings: list[tuple[int, str]] = []
        self._heading: Optional[int] = None
        self._words: list[str] = []
        self._skip = 0
        self._lists: list[list[int]] = []  # each open <ol>: [next number]
        self.items: list[tuple[int, str]] = []  # each list item's own words, with how many lists it is in
        self._items: list[list[str]] = []
        self._depth = 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if self._skip or tag in ("script", "style", "nav", "footer") or re.search(
                r"visually-hidden|skip-link", attrs.get("class") or ""):
            self._skip += 1
        if re.fullmatch(r"h[1-6]", tag):
            self._heading, self._words = int(tag[1]), []
        if tag == "ol":
            self._lists.append([int(attrs.get("start") or 1), "lettered" in (attrs.get("class") or "")
                                or "roman" in (attrs.get("class") or "")])
        if tag in ("p", "li", "tr", "div", "br", "h1", "h2", "h3", "h4", "h5", "h6", "td", "th"):
            self.parts.append("\n")
        if tag in ("ul", "ol"):
            self._depth += 1
        if tag == "li":
            self._items.append([])
        if tag == "li" and self._lists and not self._lists[-1][1]:  # markdown's own <ol>: the browser's numbers
            self.parts.append(f"\n{self._lists[-1][0]}. ")
            self._lists[-1][0] += 1

    def handle_endtag(self, tag):
        if self._skip:
            self._skip -= 1
            return
        if tag == "ol" and self._lists:
            self._lists.pop()
        if tag in ("ul", "ol"):
            self._depth -= 1
        if tag == "li" and self._items:
            self.items.append((self._depth, "".join(self._items.pop())))
        if re.fullmatch(r"h[1-6]", tag) and self._heading:
            self.headings.append((self._heading, re.sub(r"\s+", " ", "".join(self._words)).strip()))
            self._heading = None
        if tag in ("p", "li", "td", "th"):
            self.parts.append("\n")

    def handle_data(self, data):
        if self._skip:
            return
        self.parts.append(data)
        if self._items:
            self._items[-1].append(data)
        if self._heading:
            self._words.append(data)


def page_text(page: str) -> tuple[str, list[tuple[int, str]], list[tuple[int, str]]]:
    body = re.search(r"<body\b.*?</body>", page, re.S)
    reader = _PageText()
    reader.feed(body.group(0) if body else page)
    return "".join(reader.parts), reader.headings, reader.items


# ---- scoring -------------------------------------------------------------------------------

def key(text: str) -> str:
    text = re.sub(r"\*\*|__|(?<!\w)\*|\*(?!\w)", "", text)
    return re.sub(r"[^a-z0-9]", "", text.lower().replace("&", "and"))


def sentences(text: str) -> list[str]:
    return [s for s in re.split(r"(?<=[.!?;:])\s+", text) if len(key(s)) > 3]


# What an import adds that no real document says, unless the document says it.
NEVER_INVENTED = ["DRAFT", "Not yet ratified", "Not yet signed", "Not yet numbered", "Set when ratified",
                  "This is a draft", "Our School", "Our Trust", "Review cycle"]


@dataclass
class Score:
    document: str
    fmt: str
    imported: bool = False
    built: bool = False
    title: float = 0.0
    headings: float = 0.0
    numbers: float = 0.0
    lists: float = 0.0
    status: float = 0.0
    invented: list[str] = field(default_factory=list)
    recall: float = 0.0
    notes: list[str] = field(default_factory=list)

    @property
    def clean(self) -> float:
        return 0.0 if self.invented or not self.built else 1.0


def _f1(expected: list, found: list) -> float:
    if not expected and not found:
        return 1.0
    remaining = list(found)
    hits = 0
    for item in expected:
        if item in remaining:
            remaining.remove(item)
            hits += 1
    if not hits:
        return 0.0
    precision, recall = hits / len(found), hits / len(expected)
    return 2 * precision * recall / (precision + recall)


def score(doc: Document, fmt: str, work: Path, pdf: bool = False) -> Score:
    """Import `doc` written as `fmt` into a new trust, build it, and compare with the marks."""
    from policyc.cli import main

    result = Score(doc.name, fmt)
    work.mkdir(parents=True, exist_ok=True)
    try:
        source_file = write(doc, fmt, work)
    except RuntimeError as exc:
        result.notes.append(str(exc))
        return result
    src, out = work / "src", work / "out"
    report = io.StringIO()
    with contextlib.redirect_stdout(report), contextlib.redirect_stderr(report):
        code = main(["import", str(source_file), "--source", str(src)])
    result.imported = code == 0
    if not result.imported:
        result.notes.append("import failed: " + report.getvalue().strip()[-300:])
        return result
    result.notes += [ln for ln in report.getvalue().splitlines() if "numbered" in ln]
    formats = "html,pdf" if pdf else "html"
    report = io.StringIO()
    with contextlib.redirect_stdout(report), contextlib.redirect_stderr(report):
        code = main(["--source", str(src), "--output", str(out), "-q", "--format", formats, "--today", "2026-11-22"])
    result.built = code == 0
    if not result.built:
        result.notes.append("build failed: " + report.getvalue().strip()[-300:])
        return result
    [policy_file] = (src / "policies").glob("*.yaml")
    policy = yaml.safe_load(policy_file.read_text(encoding="utf-8"))
    [page] = [p for p in out.rglob(f"{policy_file.stem}.html") if "changes" not in p.parts]
    text, shown, items = page_text(page.read_text(encoding="utf-8"))
    # Lists: each item of the document is an item of the built page, as deep in lists as it was.
    wanted_items = [(ln.level, key(ln.text)) for ln in doc.lines if ln.kind in "BDL"]
    result.lists = _f1(wanted_items, [(d, key(re.sub(r"^\s*(\d+\.|\([a-z]+\)|•)\s*", "", t))) for d, t in items
                                      if key(t)])
    result.title = 1.0 if key(policy.get("title", "")) == key(doc.meta["title"]) else 0.0
    # Headings at their levels: the page's h2 is a section (level 1), h3 a sub-section, and so on.
    title_key = key(doc.meta["title"])
    found = [(level - 1, key(re.sub(r"^\d+(\.\d+)*\.?\s+", "", words))) for level, words in shown
             if level >= 2 and key(words) not in (title_key, "contents", "ratification", "tableofchanges")]
    result.headings = _f1([(lv, key(t)) for lv, t in doc.headings], found)
    # Numbers: every number the document shows is at the start of a line of the built page.
    main = re.search(r"<main\b.*?</main>", page.read_text(encoding="utf-8"), re.S)
    body_text = policy.get("title", "") + "\n" + (page_text(main.group(0))[0] if main else text)  # not the cover's dates
    starts = [bare(m.group(1)) for m in re.finditer(r"^\s*(\(?[0-9]+(?:\.[0-9]+)*\.?\)?|\([a-z]+\))\s", body_text,
                                                  re.M)]
    result.numbers = _f1(doc.numbers, [n for n in starts if n]) if doc.numbers else (1.0 if not starts else 0.0)
    # Status and dates as written: each date is on the page; DRAFT only on a draft.
    body = re.sub(r"\s+", " ", text)
    wanted = [d for d in doc.meta.get("dates", [])]
    got = [d for d in wanted if re.sub(r"\s+", " ", d) in body]
    draft_ok = bool(re.search(r'class="watermark"', page.read_text())) == (doc.meta.get("status") == "draft")
    result.status = (len(got) + draft_ok) / (len(wanted) + 1)
    if len(got) < len(wanted):
        result.notes.append(f"dates not shown as written: {[d for d in wanted if d not in got]}")
    html_text = re.sub(r"\s+", " ", text)
    said = " ".join(doc.words).lower()
    result.invented = [w for w in dict.fromkeys(NEVER_INVENTED + doc.meta.get("must_not", []))
                       if re.search(rf"(?<!\w){re.escape(w)}(?!\w)", html_text, re.I) and w.lower() not in said]
    built_key = key(text)
    wanted_sentences = [s for words in doc.words for s in sentences(words)]
    missing = [s for s in wanted_sentences if key(s) not in built_key]
    result.recall = 1 - len(missing) / len(wanted_sentences) if wanted_sentences else 1.0
    result.notes += [f"missing: {s[:70]}" for s in missing[:3]]
    return result


def table(scores: list[Score]) -> str:
    rows = [f"{'document':32} {'fmt':4} {'built':5} {'title':5} {'heads':5} {'nums':5} {'lists':5} {'dates':5} {'clean':5} {'recall':6}"]
    for s in scores:
        rows.append(f"{s.document[:32]:32} {s.fmt:4} {'yes' if s.built else 'NO':5} {s.title:5.2f} {s.headings:5.2f} "
                    f"{s.numbers:5.2f} {s.lists:5.2f} {s.status:5.2f} {s.clean:5.2f} {s.recall:6.3f}")
    n = len(scores) or 1
    mean = lambda f: sum(f(s) for s in scores) / n  # noqa: E731
    rows.append(f"{'mean of ' + str(len(scores)):32} {'':4} {mean(lambda s: s.built):5.2f} {mean(lambda s: s.title):5.2f} "
                f"{mean(lambda s: s.headings):5.2f} {mean(lambda s: s.numbers):5.2f} {mean(lambda s: s.lists):5.2f} {mean(lambda s: s.status):5.2f} "
                f"{mean(lambda s: s.clean):5.2f} {mean(lambda s: s.recall):6.3f}")
    return "\n".join(rows)


def soffice_available() -> bool:
    return bool(shutil.which("soffice"))
