"""The three real seed policies, encoded in the source format, come back out of the PDF."""

from __future__ import annotations

import re

import pytest

from policyc.cli import main
from policyc.compile.resolve import walk_blocks
from policyc.pipeline import check
from tests.conftest import ROOT, SEEDS
from tests.pdftext import key, page_texts, sentences

def _built_pdf(out, school):
    """The seed as built: a ratified seed is published; a draft (The Link School's) waits in the review area."""
    public = out / school / "social-media.pdf"
    return public if public.exists() else out / "review" / school / "social-media.pdf"


SHARED = ROOT.parent / "shared" / "seeds"
CASES = {
    "king-edward-vi": ("000_06971c8d61d3f0d9.txt", "king-edward-vi"),
    "flourish": ("002_7374cb9537a07251.txt", "flourish-federation"),
    "link-school": ("003_81cd4161ce177b1a.txt", "the-link-school"),
}
SEED_NUMBER = re.compile(r"^[\s\-–•*]*(\d+(?:\.\d+)*)\.?\s+\S")


@pytest.fixture(scope="module", params=sorted(CASES))
def seed(request, tmp_path_factory):
    name = request.param
    text_file, school = CASES[name]
    out = tmp_path_factory.mktemp(name) / "out"
    assert main(["--source", str(SEEDS / name), "--output", str(out), "-q", "--today", "2026-11-22"]) == 0
    return name, (SHARED / text_file).read_text(encoding="utf-8"), _built_pdf(out, school)


def test_at_least_99_percent_of_the_seed_sentences_are_in_the_pdf(seed):
    name, text, pdf = seed
    built = key("\n".join(page_texts(pdf)))
    wanted = sentences(text)
    missing = [s for s in wanted if key(s) not in built]
    share = 1 - len(missing) / len(wanted)
    assert share >= 0.99, f"{name}: {share:.1%} of {len(wanted)} sentences; missing: {missing}"


def seed_numbers(text: str) -> set[str]:
    return {m.group(1) for line in text.splitlines() if (m := SEED_NUMBER.match(line))}


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
    assert SHARED.is_dir(), "../shared/seeds must sit beside the project"
    assert all((SEEDS / name / "trust.yaml").is_file() for name in CASES)
