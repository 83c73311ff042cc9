"""Real covers and closing blocks imported as the record they state: no DRAFT on an adopted
policy, dates as written, no invented rows, heading or review cycle (issue #19, part 1)."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import yaml

from policyc.cli import main
from policyc.text.dates import parse_written
from tests.import_corpus.corpus import documents, write


def _import_and_build(tmp_path: Path, document: Path) -> tuple[Path, str]:
    source, out = tmp_path / "src", tmp_path / "out"
    assert main(["import", str(document), "--source", str(source)]) == 0
    assert main(["--source", str(source), "--output", str(out), "-q", "--format", "html",
                 "--today", "2026-11-22"]) == 0
    [page] = [p for p in out.rglob("*.html") if p.parent.name != "changes" and "index" not in p.name
              and p.stem == next((source / "policies").glob("*.yaml")).stem]
    return source, page.read_text(encoding="utf-8")


def _text(html: str) -> str:
    body = re.search(r"<body\b.*?</body>", html, re.S).group(0)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", body))


def _corpus(tmp_path: Path, name: str) -> Path:
    [doc] = documents([name])
    return write(doc, "txt", tmp_path)


def test_an_adopted_cover_builds_with_no_draft_and_its_dates_as_written(tmp_path):
    # Hawkhurst CE Primary: "Agreed by FGB on 14th March 2022" / "To be reviewed March 2023"
    source, html = _import_and_build(tmp_path, _corpus(tmp_path, "hawkhurst-aup"))
    text = _text(html)
    assert 'class="watermark"' not in html
    assert "This is a draft" not in text and "Not yet ratified" not in text and "Not yet signed" not in text
    assert "<caption>Ratification</caption>" not in html and "Status:" not in text
    assert "Review cycle" not in text  # the document states none
    assert "Agreed by FGB on 14th March 2022" in text and "To be reviewed March 2023" in text
    school = yaml.safe_load(next((source / "schools").glob("*.yaml")).read_text())
    [entry] = school["policies"].values()
    assert entry["ratification"] == {"status": "adopted", "date": dt.date(2022, 3, 14), "next_review": "March 2023"}


def test_date_of_last_review_is_never_the_next_review(tmp_path):
    # Noel-Baker School: "Date of last review: June 2016" / "Date of next review: June 2017"
    source, html = _import_and_build(tmp_path, _corpus(tmp_path, "noel-baker-whistleblowing"))
    school = yaml.safe_load(next((source / "schools").glob("*.yaml")).read_text())
    [entry] = school["policies"].values()
    record = entry["ratification"]
    assert record["updated"] == "June 2016" and record["next_review"] == "June 2017"
    assert record["status"] == "adopted" and "signatories" not in record  # the signature lines are blank
    text = _text(html)
    assert "Next review June 2017" in text and "Next review June 2016" not in text
    assert "Chair of Governors Signature" in text  # the line to sign, as the cover has it


def test_a_table_of_facts_over_a_row_of_dates_is_read_by_column(tmp_path):
    # Policy No. 54: "Date of Policy | Date approved by Governors | Date of Review" over the dates
    source, html = _import_and_build(tmp_path, _corpus(tmp_path, "policy54-whistleblowing"))
    policy = yaml.safe_load(next((source / "policies").glob("*.yaml")).read_text())
    assert policy["title"] == "Whistleblowing Policy"  # not "Policy No. 54"
    school = yaml.safe_load(next((source / "schools").glob("*.yaml")).read_text())
    [entry] = school["policies"].values()
    assert entry["ratification"]["date"] == dt.date(2015, 10, 19) and entry["ratification"]["next_review"] == "October 2017"
    text = _text(html)
    for written in ("October 2015", "19 October 2015", "October 2017"):
        assert written in text
    assert 'class="watermark"' not in html


def test_a_document_with_no_cover_facts_has_no_block_at_all(tmp_path):
    # Buckinghamshire's model whistleblowing policy states no status, date or signatory
    source, html = _import_and_build(tmp_path, _corpus(tmp_path, "bucks-whistleblowing"))
    assert 'class="ratification"' not in html and 'class="watermark"' not in html
    policy = yaml.safe_load(next((source / "policies").glob("*.yaml")).read_text())
    assert policy["ratification_layout"]["position"] == "none" and "review_cycle" not in policy


def test_the_adoption_block_at_the_end_stays_at_the_end(tmp_path):
    document = tmp_path / "behaviour.txt"
    document.write_text(
        "Brook Lane Primary School\n\nBehaviour Policy\n\nAims\n\n"
        "We aim to create a calm and purposeful place to learn, where every child feels safe and valued "
        "and where good behaviour is recognised and celebrated by all the adults who work here.\n\n"
        "Rewards\n\nChildren are praised for kindness, effort and good manners, in class and in assemblies, "
        "and their families are told about it at the end of each week by their class teacher.\n\n"
        "This policy was adopted by the Governing Body on 12 September 2025\n\n"
        "Signed:\tHeadteacher\n\nDate of next review: Sept 2026\n", encoding="utf-8")
    source, html = _import_and_build(tmp_path, document)
    policy = yaml.safe_load(next((source / "policies").glob("*.yaml")).read_text())
    assert policy["ratification_layout"]["position"] == "end"
    assert all("adopted" not in str(s) for s in policy["sections"])  # not a clause of the last section
    main_html = re.search(r"<main\b.*?</main>", html, re.S).group(0)
    block = main_html[main_html.index('class="ratification"'):]
    assert "12 September 2025" in block and "Sept 2026" in block
    assert 'class="watermark"' not in html


def test_draft_only_when_the_document_says_so(tmp_path):
    document = tmp_path / "draft.txt"
    document.write_text("DRAFT\n\nCharging Policy\n\nPurpose\n\nThis policy sets out when the school asks "
                        "parents to pay for activities, and when it does not, in line with the law.\n",
                        encoding="utf-8")
    source, html = _import_and_build(tmp_path, document)
    school = yaml.safe_load(next((source / "schools").glob("*.yaml")).read_text())
    [entry] = school["policies"].values()
    assert entry["ratification"]["status"] == "draft"
    assert 'class="watermark"' in html


def test_dates_as_written_are_kept_to_the_day_month_or_year():
    assert parse_written("Sept. 2023").written == "Sept. 2023"
    assert parse_written("09/2023").last.isoformat() == "2023-09-30"
    assert parse_written("01 September 2022").precision == "day"
    assert parse_written("14th March 2022").first.isoformat() == "2022-03-14"
    assert parse_written("31st February 2022") is None
    assert parse_written("18/09/2022") is None  # a day in figures is a date with a row format, not text
