"""policyc as-of: the version in force on a day between ratifications, on a ratification day,
the day before it, before the first one, and in a month a record gives without a day."""

from __future__ import annotations

import pytest
from pypdf import PdfReader

from tests.helpers import EXAMPLE

SCHOOL = ("--school", "hollin-bank-primary")  # social media: 3.1 on 8 October 2025, 3.2 on 14 October 2026


def _as_of(run, src, out, day, *extra):
    return run("as-of", day, "--source", str(src), "--output", str(out), "--today", "2026-12-03", *SCHOOL, *extra)


@pytest.mark.slow
@pytest.mark.pdf
def test_between_ratifications_the_earlier_version_is_in_force_and_its_pdf_says_so_on_every_page(run, tmp_path):
    result = _as_of(run, EXAMPLE, tmp_path / "out", "2026-03-14", "--policy", "social-media")
    assert result.code == 0, result.err
    assert "version 3.1, in force from 8 October 2025 to 13 October 2026" in result.out
    pdf = tmp_path / "out" / "review" / "hollin-bank-primary" / "as-of" / "social-media-in-force-2026-03-14.pdf"
    pages = [" ".join(p.extract_text().split()) for p in PdfReader(pdf).pages]
    assert len(pages) > 3
    for text in pages:
        assert "Version 3.1 in force from 8 October 2025 to 13 October 2026 (superseded by version 3.2)" in text
    assert "3.1" in pages[0]
    # the as-of folder is the trust's own: nothing public, and a later build keeps it
    assert run("--source", str(EXAMPLE), "--output", str(tmp_path / "out"), "--format", "html", "-q").code == 0
    assert pdf.is_file()


def test_on_the_day_of_a_ratification_the_new_version_is_in_force_and_the_day_before_the_old(run, tmp_path):
    on = _as_of(run, EXAMPLE, tmp_path / "out", "2026-10-14", "--policy", "social-media", "--no-pdf")
    before = _as_of(run, EXAMPLE, tmp_path / "out", "2026-10-13", "--policy", "social-media", "--no-pdf")
    assert on.code == before.code == 0
    assert "version 3.2, in force from 14 October 2026 to now" in on.out
    assert "version 3.1" in before.out
    assert not (tmp_path / "out").exists()  # --no-pdf writes nothing


def test_before_the_first_ratification_it_says_so_plainly(run, tmp_path):
    result = _as_of(run, EXAMPLE, tmp_path / "out", "2025-06-01", "--policy", "social-media")
    assert result.code == 1
    assert ("Staff Social Media Policy: no version was in force on 1 June 2025: the first was ratified "
            "8 October 2025.") in result.out
    assert not (tmp_path / "out").exists()


def test_a_record_of_a_month_only_does_not_guess_the_day(run, tmp_path):
    inside = _as_of(run, EXAMPLE, tmp_path / "out", "2025-03-14", "--policy", "photography", "--no-pdf")
    assert inside.code == 1 and "cannot be told" in inside.out and "March 2025" in inside.out
    after = _as_of(run, EXAMPLE, tmp_path / "out", "2025-04-01", "--policy", "photography", "--no-pdf")
    assert after.code == 0 and "version 1.0, in force from March 2025 to now" in after.out


@pytest.mark.slow
@pytest.mark.pdf
def test_all_gives_every_policy_in_force_that_day_in_one_pdf_with_a_contents_page(run, tmp_path):
    result = _as_of(run, EXAMPLE, tmp_path / "out", "2026-11-01", "--all")
    assert result.code == 0, result.err
    assert "Online Safety Policy: no version was in force on 1 November 2026" in result.out
    pdf = tmp_path / "out" / "review" / "hollin-bank-primary" / "as-of" / "all-policies-in-force-2026-11-01.pdf"
    reader = PdfReader(pdf)
    first = " ".join(reader.pages[0].extract_text().split())
    assert "Policies in force on 1 November 2026" in first and "Contents" in first
    assert "Photography and Images of Pupils Policy" in first and "Staff Social Media Policy" in first
    titles = [o.title for o in reader.outline if not isinstance(o, list)]
    assert "Staff Social Media Policy" in titles and "Photography and Images of Pupils Policy" in titles
    texts = [" ".join(p.extract_text().split()) for p in reader.pages[1:]]
    assert all(("Version 1.0 in force from March 2025" in t) or ("Version 3.2 in force from 14 October 2026" in t)
               for t in texts)


def test_usage_mistakes_are_exit_2(run, tmp_path):
    assert _as_of(run, EXAMPLE, tmp_path / "o", "2026-03-14").code == 2  # neither --policy nor --all
    with pytest.raises(SystemExit) as stop:  # argparse's own refusal of a date that is not one
        _as_of(run, EXAMPLE, tmp_path / "o", "2026-13-01", "--policy", "social-media")
    assert stop.value.code == 2
    assert _as_of(run, EXAMPLE, tmp_path / "o", "2027-01-01", "--policy", "social-media").code == 2  # a day to come
    assert _as_of(run, EXAMPLE, tmp_path / "o", "2026-03-14", "--policy", "social-medai").code == 2


@pytest.mark.slow
def test_the_policy_page_lists_each_ratified_version_with_its_period_in_force(tmp_path, run):
    out = tmp_path / "out"
    assert run("--source", str(EXAMPLE), "--output", str(out), "--format", "html", "--today", "2026-12-03", "-q").code == 0
    page = (out / "hollin-bank-primary" / "social-media.html").read_text()
    assert "Version 3.2 (ratified 14 October 2026), in force from 14 October 2026 to now" in page
    assert "Version 3.1 (ratified 8 October 2025), in force from 8 October 2025 to 13 October 2026" in page
