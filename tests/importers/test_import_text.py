"""Plain text with no numbers at all: headings found from short lines over paragraphs, the cover from its facts."""

from __future__ import annotations

import re

from policyc.cli import main
from policyc.pipeline import check
from tests.pdftext import key, sentences

ATTENDANCE = """\
Brook Lane Primary School

Attendance Policy

Adopted by the Local Governing Body on: 12 September 2025
Signed: Helen Marsh, Chair of Governors

Our aims

Brook Lane Primary School believes that good attendance is essential if pupils are to make the most of \
their education, and we work with families to achieve it.

Reporting an absence

Parents should telephone the school office before 9am on each day of absence, giving the reason.

If no reason is given, the office will:

- telephone the parents the same morning;
- make a home visit if no contact has been made by the third day.

Persistent absence

Where attendance falls below 90 per cent, the Headteacher will invite the parents to a meeting to agree a plan.
"""


def test_unnumbered_headings_and_the_cover_of_a_plain_text_policy(tmp_path):
    (tmp_path / "attendance.txt").write_text(ATTENDANCE, encoding="utf-8")
    assert main(["import", str(tmp_path / "attendance.txt"), "--source", str(tmp_path / "src"),
                 "--placeholders"]) == 0
    _, [policy], _ = check(tmp_path / "src")
    assert [p.title for p in policy.parts] == ["Our aims", "Reporting an absence", "Persistent absence"]
    source = (tmp_path / "src" / "policies" / "attendance.yaml").read_text()
    assert "{{ school.name }} believes" in source and "the {{ role.headteacher }} will" in source
    school = (tmp_path / "src" / "schools" / "brook-lane-primary-school.yaml").read_text()
    assert "date: 2025-09-12" in school and "name: Helen Marsh" in school
    assert main(["--source", str(tmp_path / "src"), "--output", str(tmp_path / "out"), "-q", "--format", "html",
                 "--today", "2026-11-22"]) == 0
    [page] = [p.read_text() for p in (tmp_path / "out").rglob("attendance.html")]
    text = key(re.sub(r"<[^>]+>", " ", page).replace("&#39;", "'"))
    body = ATTENDANCE[ATTENDANCE.index("Our aims"):]  # the cover's facts are data now, checked above
    assert [s for s in sentences(body) if key(s) not in text] == []
    assert key("Adopted by the Local Governing Body on: 12 September 2025") in text


def test_a_run_of_short_lines_on_the_cover_is_not_made_bold(tmp_path):
    """Short lines that were a list on the school's web page (their bullets lost in the text)
    stay as written: bold is only for a short line heading a longer paragraph."""
    text = ("Wyche CE Primary School\n\nPolicy and Procedure for responding to complaints\n\n"
            "The Governing Body adopted this Policy at a meeting held on 7th November 2016.\n\n"
            "Our values\n\nWe listen to every concern and answer it within ten school days of hearing it.\n\n"
            "If the complaint relates to any of the following, that procedure should be followed:\n\n"
            "Collective worship\nReligious education\nPupil admissions\n\n"
            "General Principles\n\nThis procedure contains advice for resolving complaints, with time limits "
            "and advice on the conduct of meetings, which the school follows in every case it hears.\n")
    (tmp_path / "complaints.txt").write_text(text, encoding="utf-8")
    assert main(["import", str(tmp_path / "complaints.txt"), "--source", str(tmp_path / "src")]) == 0
    [policy] = (tmp_path / "src" / "policies").iterdir()
    source = policy.read_text()
    assert "**Collective worship**" not in source and "Collective worship" in source
    assert "**Our values**" in source


def test_words_before_the_first_heading_get_no_heading_the_document_lacks(tmp_path):
    text = ("Charging and Remissions Policy\n\n"
            "This policy sets out when the school may ask parents for money, and when it will not, in line with "
            "the Education Act 1996 and the guidance of the Department for Education on charging for activities.\n\n"
            "It applies to every activity the school organises, in school hours and outside them, on the site "
            "and away from it, including trips, clubs and music tuition arranged through the school.\n\n"
            "Voluntary contributions\n\n"
            "The school may ask for a voluntary contribution towards an activity in school hours, and no pupil "
            "is left out because their parents cannot or will not pay.\n")
    (tmp_path / "charging.txt").write_text(text, encoding="utf-8")
    src = tmp_path / "src"
    assert main(["import", str(tmp_path / "charging.txt"), "--source", str(src)]) == 0
    _, [policy], _ = check(src)
    assert [p.title for p in policy.parts] == ["Voluntary contributions"]
    assert policy.opening.startswith("This policy sets out when the school may ask parents for money")
    assert "It applies to every activity" in policy.opening
    assert main(["--source", str(src), "--output", str(tmp_path / "out"), "-q", "--format", "html",
                 "--today", "2026-11-22"]) == 0
    [page] = (tmp_path / "out").rglob("charging*.html")
    built = key(re.sub(r"<[^>]+>", " ", page.read_text()))
    assert key("It applies to every activity the school organises") in built and "Introduction" not in built


def test_the_schools_name_over_the_title_is_not_the_title(tmp_path):
    """A text file that starts with the school's name, then the policy's title: the title is the
    policy's (and names its id), the school's name names the school."""
    (tmp_path / "phones.txt").write_text(
        "Brook Lane Primary School\n\nMobile Phone Policy\n\nOur aims\n\n"
        "Brook Lane Primary School keeps phones out of lessons so that pupils can learn without "
        "distraction and nobody is photographed without their consent, in class or at play.\n\n"
        "Who it covers\n\nThe policy covers pupils, staff and visitors, and every device that can "
        "send messages or take pictures, whether it is a phone, a watch or a tablet.\n", encoding="utf-8")
    assert main(["import", str(tmp_path / "phones.txt"), "--source", str(tmp_path / "src")]) == 0
    _, [policy], _ = check(tmp_path / "src")
    assert policy.title == "Mobile Phone Policy" and policy.policy_id.startswith("mobile-phone")
    assert policy.school_slug == "brook-lane-primary-school"
