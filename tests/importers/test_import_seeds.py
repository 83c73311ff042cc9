"""The three real seeds imported from their plain text with no hand editing, built, and compared with the original."""

from __future__ import annotations

import pytest

from policyc.cli import main
from policyc.model import walk_blocks
from policyc.pipeline import check
from tests.pdftext import key, page_texts, sentences
from tests.helpers import CASES, SEED_TEXTS, seed_numbers

pytestmark = [pytest.mark.pdf, pytest.mark.slow]


@pytest.fixture(scope="module", params=sorted(CASES))
def imported(request, tmp_path_factory):
    text_file = CASES[request.param][0]
    work = tmp_path_factory.mktemp(request.param)
    source, out = work / "src", work / "out"
    assert main(["import", str(SEED_TEXTS / text_file), "--source", str(source)]) == 0
    assert main(["--source", str(source), "--output", str(out), "-q", "--today", "2026-11-22", "--format", "pdf"]) == 0
    # a draft is in the review area (with its review pack), a ratified policy on the public site
    [pdf] = [p for p in out.rglob("*.pdf") if not p.name.endswith("-review-pack.pdf")]
    return request.param, (SEED_TEXTS / text_file).read_text(encoding="utf-8"), source, pdf


def test_an_imported_seed_keeps_99_percent_of_its_sentences(imported):
    name, text, _, pdf = imported
    built = key("\n".join(page_texts(pdf)))
    wanted = sentences(text)
    missing = [s for s in wanted if key(s) not in built]
    share = 1 - len(missing) / len(wanted)
    assert share >= 0.99, f"{name}: {share:.1%} of {len(wanted)} sentences; missing: {missing}"


def test_an_imported_seed_keeps_its_paragraph_numbers(imported):
    name, text, source, _ = imported
    _, [policy], _ = check(source)
    numbers = {p.number for p in policy.parts if p.number}
    numbers |= {b.number for p in policy.parts for b in walk_blocks(p.blocks) if b.number}
    assert numbers == seed_numbers(text)


def test_the_cover_becomes_a_ratification_record(imported):
    name, _, source, _ = imported
    [school] = list((source / "schools").glob("*.yaml"))
    record = school.read_text()
    expected = {"king-edward-vi": "date: 2017-11-22", "flourish": "date: 2020-11-24",
                "link-school": "status: draft"}[name]
    assert expected in record
