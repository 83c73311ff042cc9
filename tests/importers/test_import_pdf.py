"""A PDF imported through pdftotext: a real WeasyPrint PDF of The Link School's policy, with its DRAFT
watermark, dotted contents, running footer and hanging numbers, imported and rebuilt."""

from __future__ import annotations

import re
import shutil

import pytest

from policyc.cli import main
from tests.helpers import CASES, SEEDS, SEED_TEXTS, seed_numbers
from tests.pdftext import key, page_texts, sentences

pytestmark = [pytest.mark.pdf, pytest.mark.slow,
              pytest.mark.skipif(not shutil.which("pdftotext") and not __import__("os").environ.get("CI"),
                                 reason="needs poppler-utils (installed by scripts/setup.sh)")]


def test_a_published_pdf_comes_back_with_its_sentences_and_numbers(tmp_path, capsys):
    text_file, school = CASES["link-school"]
    assert main(["--source", str(SEEDS / "link-school"), "--output", str(tmp_path / "published"), "-q",
                 "--format", "pdf", "--today", "2026-11-22"]) == 0
    [published] = [p for p in (tmp_path / "published").rglob("social-media.pdf") if school in p.parts]
    assert main(["import", str(published),
                 "--source", str(tmp_path / "src")]) == 0
    report = capsys.readouterr().out
    assert "numbered" not in report, report  # every paragraph number the PDF had, the rebuilt policy has
    assert main(["--source", str(tmp_path / "src"), "--output", str(tmp_path / "again"), "-q",
                 "--format", "pdf", "--today", "2026-11-22"]) == 0
    [pdf] = [p for p in (tmp_path / "again").rglob("*.pdf") if not p.name.endswith("-review-pack.pdf")]
    built = key("\n".join(page_texts(pdf)))
    original = (SEED_TEXTS / text_file).read_text(encoding="utf-8")
    wanted = sentences(original)
    missing = [s for s in wanted if key(s) not in built]
    assert 1 - len(missing) / len(wanted) >= 0.99, missing
    body = "\n".join(page_texts(pdf))
    at_line_start = [n for n in seed_numbers(original) if re.search(rf"^{re.escape(n)}\.?\s", body, re.M)]
    assert sorted(at_line_start) == sorted(seed_numbers(original))
    assert "draft" in (tmp_path / "src" / "schools" / "link-school.yaml").read_text()
