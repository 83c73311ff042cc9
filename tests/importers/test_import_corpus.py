"""A short run of scripts/import_score.py: three real published policies of the corpus, as text, as
Word and as a PDF saved from Word with Symbol-font bullets, imported with no hand edits and built."""

from __future__ import annotations

import os
import shutil

import pytest

from tests.import_corpus.corpus import _f1, documents, page_text, score

needs_soffice = pytest.mark.skipif(not shutil.which("soffice") and not os.environ.get("CI"),
                                   reason="needs LibreOffice (installed by scripts/setup.sh)")


@pytest.mark.slow
@pytest.mark.pdf
@pytest.mark.parametrize("name, fmt", [("humbermouth-aup", "txt"), ("noel-baker-whistleblowing", "docx"),
                                       pytest.param("colat-code-of-conduct", "pdf",
                                                    marks=[needs_soffice, pytest.mark.libreoffice])])
def test_a_real_policy_comes_back_with_its_structure(tmp_path, name, fmt):
    [doc] = documents([name])
    result = score(doc, fmt, tmp_path, pdf=fmt == "pdf")  # the PDF saved from Word is built as PDF too
    assert result.built, result.notes
    assert result.headings == 1.0, result.notes  # every heading at its level, none invented
    assert result.numbers == 1.0, result.notes  # every number as the document had it, and no other
    assert result.lists == 1.0, result.notes  # every list item an item, as deep as it was
    assert result.recall >= 0.85, result.notes


def test_the_scorer_counts_what_is_lost_and_what_is_invented():
    assert _f1(["1", "1.1", "1.2"], ["1", "1.1", "1.2"]) == 1.0
    assert _f1(["1", "1.1", "1.2"], ["1", "1.1"]) < 1.0  # a number lost
    assert _f1(["1", "1.1"], ["1", "1.1", "1.2"]) < 1.0  # a number invented
    text, headings, items = page_text('<body><h2>1. Rules</h2><ol start="6"><li>Ask first.</li></ol>'
                                      '<ul><li>Tell<ul><li>an adult</li></ul></li></ul></body>')
    assert "6. Ask first." in text and headings == [(2, "1. Rules")]
    assert items == [(1, "Ask first."), (2, "an adult"), (1, "Tell")]
