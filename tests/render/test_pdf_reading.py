"""Read aloud, a PDF says what its HTML page says: the tagged text (`pdfinfo -struct-text`,
in structure order) has the same words in the same order, and no footer or watermark."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import lxml.html
import pytest

from tests.helpers import PDF_KINDS as KINDS

pytestmark = [pytest.mark.pdf, pytest.mark.slow]

# What the HTML page shows that its PDF leaves out on purpose: web-only links and notes,
# the contents' instruction to select a heading, the page footer (the PDF's running footer
# is an artifact), the hidden DRAFT mark and
# table caption, and, in a redline, the unchanged sections that print as one line and the
# "[inserted: …]" words, which the PDF holds as each insertion's ActualText instead of
# printing them (pdfinfo shows printed text only: test_redline_marks_are_read_as_actual_text).
WEB_ONLY = " | ".join([
    "//*[contains(concat(' ', @class, ' '), ' skip-link ')]",
    "//*[contains(concat(' ', @class, ' '), ' download ')]",
    "//*[contains(concat(' ', @class, ' '), ' last-updated ')]",
    "//details[contains(@class, 'versions')]",
    "//p[contains(@class, 'draft-note')][a]",
    "//*[contains(concat(' ', @class, ' '), ' page-footer ')]",
    "//*[contains(concat(' ', @class, ' '), ' watermark ')]",
    "//*[contains(concat(' ', @class, ' '), ' contents-note ')]",  # "(Select a heading ...)": for the screen
    "//caption[contains(@class, 'visually-hidden')]",
    "//details[contains(@class, 'part')]/*[not(self::summary)]",
    "//ins/span[@class='visually-hidden'] | //del/span[@class='visually-hidden']",
])


def html_words(page: Path) -> list[str]:
    tree = lxml.html.parse(str(page))
    for element in tree.xpath(WEB_ONLY):
        element.drop_tree()  # keeps the words that follow it
    body = tree.getroot().body
    return _words(" ".join(body.itertext()))


def pdf_words(pdf: Path) -> list[str]:
    """The tagged text, less what a Figure holds: a reader says the Figure's Alt instead (the
    logo's alt text, as the page's img has; tests/source/test_brand.py checks it is there)."""
    out = subprocess.run(["pdfinfo", "-struct-text", str(pdf)], capture_output=True, text=True, check=True).stdout
    spans, figure = [], None  # the indentation of the Figure being skipped
    for line in out.splitlines():
        depth = len(line) - len(line.lstrip())
        if figure is not None and depth > figure:
            continue
        figure = depth if line.strip().startswith("Figure") else None
        text = re.fullmatch(r'\s*"(.*)"', line)
        if text:
            spans.append(text.group(1))
    return _words(" ".join(spans))


def _words(text: str) -> list[str]:
    return re.findall(r"\w+", text.lower())


needs_pdfinfo = pytest.mark.skipif(shutil.which("pdfinfo") is None and __import__("os").environ.get("CI") != "true",
                                   reason="poppler-utils (pdfinfo) is not installed")


@needs_pdfinfo
@pytest.mark.parametrize("kind", KINDS)
def test_the_tagged_text_reads_like_the_html_page(kind, example_output):
    pdf = example_output / KINDS[kind]
    said, shown = pdf_words(pdf), html_words(pdf.with_suffix(".html"))
    assert "page" not in " ".join(said[-4:]) and "draft" != said[-1]
    if said != shown:
        import difflib
        diff = [d for d in difflib.ndiff(shown, said) if d[0] in "+-"]
        pytest.fail(f"{kind}: the PDF reads differently from its page: {diff[:40]}")


@needs_pdfinfo
def test_no_footer_or_watermark_in_the_tagged_text(example_output):
    out = subprocess.run(["pdfinfo", "-struct-text", str(example_output / KINDS["draft"])],
                         capture_output=True, text=True, check=True).stdout
    assert "DRAFT" not in out and not re.search(r"Page \d+ of \d+", out)


def test_redline_marks_are_read_as_actual_text(example_output):
    """Each insertion and deletion is read as the HTML page's screen-reader words say it,
    '[inserted: …]', in page order, though those words are not printed."""
    import pikepdf
    pdf = example_output / KINDS["redline"]
    page = lxml.html.parse(str(pdf.with_suffix(".html")))
    shown = [" ".join("".join(m.itertext()).split()) for m in page.xpath("//main//ins | //main//del")
             if not m.xpath("ancestor::details[contains(@class, 'part')]")
             and not m.xpath("ancestor::p[contains(@class, 'key')]")]
    read = []
    with pikepdf.open(pdf) as doc:
        stack = [doc.Root.StructTreeRoot]
        while stack:
            node = stack.pop()
            if "/ActualText" in node:
                read.append(" ".join(str(node.ActualText).split()))
            k = node.get("/K")
            kids = list(k) if isinstance(k, pikepdf.Array) else [k] if k is not None else []
            stack.extend(reversed([x for x in kids if isinstance(x, pikepdf.Dictionary) and "/S" in x]))
    assert shown and all(s.startswith(("[inserted: ", "[deleted: ")) for s in shown)
    assert [r for r in read if r.startswith("[")] == shown
