"""Read aloud, a PDF says what its HTML page says: the tagged text (`pdfinfo -struct-text`,
in structure order) has the same words in the same order, and no footer or watermark."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import lxml.html
import pytest

from tests.render.test_pdf_structure import KINDS

# What the HTML page shows that its PDF leaves out on purpose: web-only links and notes,
# the page footer (the PDF's running footer is an artifact), the hidden DRAFT mark and
# table caption, and, in a redline, the unchanged sections that print as one line.
WEB_ONLY = " | ".join([
    "//*[contains(concat(' ', @class, ' '), ' skip-link ')]",
    "//*[contains(concat(' ', @class, ' '), ' download ')]",
    "//*[contains(concat(' ', @class, ' '), ' last-updated ')]",
    "//details[contains(@class, 'versions')]",
    "//p[contains(@class, 'draft-note')][a]",
    "//*[contains(concat(' ', @class, ' '), ' page-footer ')]",
    "//*[contains(concat(' ', @class, ' '), ' watermark ')]",
    "//caption[contains(@class, 'visually-hidden')]",
    "//details[contains(@class, 'part')]/*[not(self::summary)]",
])


def html_words(page: Path) -> list[str]:
    tree = lxml.html.parse(str(page))
    for element in tree.xpath(WEB_ONLY):
        element.drop_tree()  # keeps the words that follow it
    body = tree.getroot().body
    return _words(" ".join(body.itertext()))


def pdf_words(pdf: Path) -> list[str]:
    out = subprocess.run(["pdfinfo", "-struct-text", str(pdf)], capture_output=True, text=True, check=True).stdout
    spans = re.findall(r'^\s*"(.*)"$', out, re.M)
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
