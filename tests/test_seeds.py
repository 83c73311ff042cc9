"""The three real seed policies, encoded in the source format, come back out of the PDF."""

from __future__ import annotations

import re

import pytest

from policyc.cli import main
from policyc.model import walk_blocks
from policyc.pipeline import check
from tests.helpers import CASES, SEED_TEXTS, SEEDS, seed_numbers
from tests.pdftext import key, page_texts, sentences

pytestmark = [pytest.mark.pdf, pytest.mark.slow]


def _built_pdf(out, school):
    """The seed as built: a ratified seed is published; a draft (The Link School's) waits in the review area."""
    public = out / school / "social-media.pdf"
    return public if public.exists() else out / "review" / school / "social-media.pdf"


@pytest.fixture(scope="module", params=sorted(CASES))
def seed(request, tmp_path_factory):
    name = request.param
    text_file, school = CASES[name]
    out = tmp_path_factory.mktemp(name) / "out"
    assert main(["--source", str(SEEDS / name), "--output", str(out), "-q", "--today", "2026-11-22"]) == 0
    return name, (SEED_TEXTS / text_file).read_text(encoding="utf-8"), _built_pdf(out, school)


def test_at_least_99_percent_of_the_seed_sentences_are_in_the_pdf(seed):
    name, text, pdf = seed
    built = key("\n".join(page_texts(pdf)))
    wanted = sentences(text)
    missing = [s for s in wanted if key(s) not in built]
    share = 1 - len(missing) / len(wanted)
    assert share >= 0.99, f"{name}: {share:.1%} of {len(wanted)} sentences; missing: {missing}"


def test_numbering_matches_the_seed(seed):
    name, text, pdf = seed
    _, policies, _ = check(SEEDS / name)
    [policy] = policies
    numbers = {p.number for p in policy.parts if p.number}
    numbers |= {b.number for p in policy.parts for b in walk_blocks(p.blocks) if b.number}
    assert numbers == seed_numbers(text)
    body = "\n".join(page_texts(pdf))
    for number in numbers:
        assert re.search(rf"^{re.escape(number)}\.?\s", body, re.M), f"{number} not at a line start in the PDF"


def test_seed_sources_are_present():
    """The published texts are in the repository (tests/seeds/texts), beside their encodings."""
    assert all((SEED_TEXTS / text_file).is_file() for text_file, _ in CASES.values())
    assert all((SEEDS / name / "trust.yaml").is_file() for name in CASES)
