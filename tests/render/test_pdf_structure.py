"""Every kind of PDF, read tag by tag: the strict structure checker finds nothing."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
from weasyprint import HTML

from policyc.render.pdf import render_pdf
from tests.helpers import PDF_KINDS as KINDS
from tests.render.pdf_structure import findings

pytestmark = pytest.mark.pdf


@pytest.mark.parametrize("kind", KINDS)
def test_the_structure_checker_finds_nothing(kind, example_output):
    assert findings(example_output / KINDS[kind]) == []


@pytest.mark.parametrize("kind", ["policy", "redline"])
def test_lettered_items_are_lists_with_labels(kind, example_output):
    """(a), (b)… are the labels of list items, in the policy and in its redline."""
    out = subprocess.run(["pdfinfo", "-struct-text", str(example_output / KINDS[kind])],
                         capture_output=True, text=True, check=True).stdout
    # The label may carry the (no-break) space that separates it from the item's text (it sits in the marker's box).
    assert re.search(r'LI \(block\)\n\s+Lbl \(block\)\n\s+Span \(inline\)\n\s+"\(a\)\s?"\n\s+LBody', out)


PAGE = """<html lang="en-GB"><head><title>A policy</title><style>
@page { size: A6; @bottom-right { content: "Page " counter(page) " of " counter(pages); } }
.watermark { position: fixed; top: 30mm; }
nav a::after { content: leader(". ") target-counter(attr(href), page); }
</style></head><body><div class="watermark" aria-hidden="true">DRAFT</div>
<h1>A policy</h1><nav><ol><li><a href="#one">1. One</a></li></ol></nav>
<main><section id="one"><h2>1. One</h2><ol>{items}</ol>
<table><thead><tr><th>Date</th><th>Change</th></tr></thead><tbody>{rows}</tbody></table>
<p>Write to <a href="mailto:office@example.org">office@example.org</a>.</p></section></main></body></html>"""


def _page() -> str:
    items = "".join(f"<li>Item {n} of a list long enough to run onto the next page.</li>" for n in range(40))
    rows = "".join(f"<tr><td>{n} May</td><td>Change {n}</td></tr>" for n in range(30))
    return PAGE.replace("{items}", items).replace("{rows}", rows)


@pytest.mark.slow
def test_the_checker_sees_what_weasyprint_leaves(tmp_path: Path):
    """Straight from WeasyPrint, the same page fails: so the checker can fail."""
    raw = tmp_path / "raw.pdf"
    raw.write_bytes(HTML(string=_page()).write_pdf(pdf_variant="pdf/ua-1", pdf_tags=True))
    found = "\n".join(findings(raw))
    assert "'Page 1 of" in found and "tagged but in no element of the tree" in found
    assert "Part elements: the document is cut into pages" in found or "side by side" in found
    assert "is inside another link" in found
    assert "is described as 'one'" in found


@pytest.mark.slow
def test_a_page_cut_by_page_breaks_reads_as_one_document(tmp_path: Path):
    finished = tmp_path / "finished.pdf"
    finished.write_bytes(render_pdf(_page(), "test.pdf"))
    assert findings(finished) == []


@pytest.mark.slow
def test_the_finished_pdf_is_the_same_bytes_every_time():
    assert render_pdf(_page(), "test.pdf") == render_pdf(_page(), "test.pdf")
