"""General forms a real policy needs: an adoption block at the end signed by hand, a
record with only the dates the document gives, dates to the month, opening text."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from policyc.history.status import standing
from policyc.pipeline import check
from tests.helpers import TRUST, write_tree
from tests.pdftext import page_texts

pytestmark = pytest.mark.pdf

# Written from the shape of real primary school policies: an opening paragraph with no
# heading, numbered sections, and at the end "This policy has been adopted by ...",
# then lines to sign by hand.
SIGN_BY_HAND = """\
id: behaviour
title: "{{ school.name }} Behaviour Policy"
numbering: "1"
contents: false
opening: |
  At {{ school.name }} we believe that good behaviour is essential to learning, and
  that every child has the right to feel safe.
ratification_layout:
  position: end
  heading: false
  status_line: false
  rows:
    - {label: "This policy has been adopted by the Governing Body of {{ school.name }}.", value: none}
    - {label: Signed, value: blank, after: "{{ role.headteacher }}"}
    - {label: Signed, value: blank, after: Chair of Governors}
    - {label: Date, value: blank}
sections:
  - id: aims
    kind: general
    title: Aims
    clauses:
      - id: aims-text
        text: We aim to create a calm and purposeful place to learn.
"""

DATES_ONLY = """\
id: attendance
title: Attendance Policy
numbering: none
contents: false
ratification_layout:
  heading: false
  status_line: false
  rows:
    - {label: Date, value: date}
    - {label: Updated date, value: updated}
    - {label: Next update, value: next_review}
sections:
  - id: aims
    kind: general
    title: Our aims
    clauses:
      - id: aims-text
        text: Every pupil should attend school every day it is open.
"""

SCHOOL = """\
name: Brook Lane Primary School
phase: primary
policies:
  behaviour:
    ratification: {status: adopted}
  attendance:
    ratification: {status: adopted, date: Sept 2022, updated: Sept 2023, next_review: Sept 2024}
"""


def _sources(tmp_path: Path, school: str = SCHOOL) -> Path:
    return write_tree(tmp_path / "src", {
        "trust.yaml": TRUST.replace("name: Test Trust\n", ""),
        "policies/behaviour.yaml": SIGN_BY_HAND, "policies/attendance.yaml": DATES_ONLY,
        "schools/brook-lane.yaml": school})


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


@pytest.mark.slow
def test_adoption_block_at_the_end_with_lines_to_sign_by_hand(tmp_path, run):
    src, out = _sources(tmp_path), tmp_path / "out"
    assert run("--source", src, "--output", out, "--today", "2026-11-22", "--policy", "behaviour").code == 0
    html = (out / "brook-lane" / "behaviour.html").read_text(encoding="utf-8")
    assert "<h1 id=\"policy-title\">Brook Lane Primary School Behaviour Policy</h1>" in html
    assert "DRAFT" not in html and "Status:" not in html and "draft-note" not in html
    assert "<caption>" not in html  # no heading the original does not have
    body = _text(html)
    assert body.index("every child has the right to feel safe") < body.index("Aims")
    block = body[body.index("This policy has been adopted"):]
    assert re.match(r"This policy has been adopted by the Governing Body of Brook Lane Primary School\. "
                    r"Signed Headteacher Signed Chair of Governors Date ", block)
    assert html.count('class="sign-line"') == 3
    assert html.index('id="ratification"') > html.index('id="aims"')  # after the last section
    pages = page_texts(out / "brook-lane" / "behaviour.pdf")
    last = re.sub(r"\s+", " ", pages[-1])
    assert "DRAFT" not in " ".join(pages)
    assert re.search(r"Signed\s+Headteacher\s+Signed\s+Chair of Governors\s+Date", last), last
    # The lines drawn to sign on are layout, not content: no empty element for a screen reader.
    from tests.render.pdf_structure import findings
    assert findings(out / "brook-lane" / "behaviour.pdf") == []
    assert not _empty_spans(out / "brook-lane" / "behaviour.pdf")


def _empty_spans(path: Path) -> int:
    import pikepdf
    count = 0
    with pikepdf.open(path) as pdf:
        stack = [pdf.Root.StructTreeRoot]
        while stack:
            node = stack.pop()
            k = node.get("/K")
            if node.get("/S") == "/Span" and (k is None or (isinstance(k, pikepdf.Array) and len(k) == 0)):
                count += 1
            for kid in (k if isinstance(k, pikepdf.Array) else [k] if k is not None else []):
                if isinstance(kid, pikepdf.Dictionary) and "/S" in kid:
                    stack.append(kid)
    return count


def test_record_gives_only_the_dates_written_to_the_month(tmp_path, run):
    src, out = _sources(tmp_path), tmp_path / "out"
    assert run("--source", src, "--output", out, "--format", "html", "--today", "2024-09-30",
               "--policy", "attendance").code == 0
    body = _text((out / "brook-lane" / "attendance.html").read_text(encoding="utf-8"))
    assert "Date Sept 2022 Updated date Sept 2023 Next update Sept 2024" in body
    assert "September" not in body and "Signed" not in body and "Status:" not in body


def test_a_review_due_in_a_month_is_overdue_only_after_that_month(tmp_path):
    _, policies, _ = check(_sources(tmp_path))
    record = next(p for p in policies if p.policy_id == "attendance").ratification
    assert record.next_review == dt.date(2024, 9, 30)
    assert standing(record, dt.date(2024, 9, 30)).key == "adopted"
    assert standing(record, dt.date(2024, 10, 1)).label == "Adopted; review overdue since Sept 2024"


def test_next_review_computed_from_a_month_is_written_the_same_way(tmp_path):
    school = SCHOOL.replace("date: Sept 2022, updated: Sept 2023, next_review: Sept 2024",
                            "date: Sept 2023, review_cycle: biennially")
    _, policies, _ = check(_sources(tmp_path, school))
    record = next(p for p in policies if p.policy_id == "attendance").ratification
    assert (record.shown("next_review"), record.next_review) == ("Sept 2025", dt.date(2025, 9, 30))
    school = SCHOOL.replace("date: Sept 2022, updated: Sept 2023, next_review: Sept 2024",
                            "date: '2023', review_cycle: annually")
    _, policies, _ = check(_sources(tmp_path, school))
    record = next(p for p in policies if p.policy_id == "attendance").ratification
    assert (record.shown("date"), record.date, record.shown("next_review")) == ("2023", dt.date(2023, 1, 1), "2024")
    # adopted as its document stands, with no cycle stated in the record or the policy: no review is invented
    school = SCHOOL.replace("date: Sept 2022, updated: Sept 2023, next_review: Sept 2024", "date: '2023'")
    _, policies, _ = check(_sources(tmp_path, school))
    record = next(p for p in policies if p.policy_id == "attendance").ratification
    assert (record.next_review, record.shown("next_review"), record.review_cycle) == (None, "", "")


NESTED = """\
id: behaviour
title: Behaviour Policy
numbering: "1.1 (a)"
sections:
  - id: roles
    kind: roles
    title: Roles and responsibilities
    clauses:
      - id: shared
        text: "Responsibilities are shared as follows:"
        items:
          - text: "The governing board will:"
            items:
              - monitor the policy's effectiveness;
              - hold the headteacher to account for its implementation.
          - text: "The headteacher will:"
            items:
              - text: "ensure that staff:"
                items: [understand the behaviour expected of pupils;, apply rewards and sanctions consistently.]
          - Parents and carers are expected to support the school's approach to behaviour.
"""


@pytest.mark.slow
def test_nested_item_lists_are_lettered_then_roman_at_any_depth(tmp_path, run):
    src = write_tree(tmp_path / "src", {"trust.yaml": TRUST, "policies/behaviour.yaml": NESTED,
                                        "schools/brook-lane.yaml": "name: Brook Lane Primary School\n"})
    out = tmp_path / "out"
    assert run("--source", src, "--output", out, "--today", "2026-11-22").code == 0
    html = (out / "review" / "brook-lane" / "behaviour.html").read_text(encoding="utf-8")
    markers = re.findall(r'<(ol|ul) class="(\w+)">|<span class="marker"[^>]*>([^<]*)</span>', html)
    assert [m[1] or m[2].replace("\xa0", "").replace("&nbsp;", "") for m in markers] == [
        "lettered", "(a)", "roman", "(i)", "(ii)", "(b)", "roman", "(i)", "lettered", "(a)", "(b)", "(c)"]
    text = re.sub(r"\s+", " ", " ".join(page_texts(out / "review" / "brook-lane" / "behaviour.pdf")))
    assert re.search(r"\(a\)\s*The governing board will:\s*\(i\)\s*monitor the policy's effectiveness;\s*"
                     r"\(ii\)\s*hold the headteacher", text), text
    assert re.search(r"\(i\)\s*ensure that staff:\s*\(a\)\s*understand the behaviour", text), text
