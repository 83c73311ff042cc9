"""`policyc import --placeholders`: one school's policy made a model. Every name a placeholder
can print again becomes one, the built policy reads exactly as the document did, and what is
left in the school's own words is listed."""

from __future__ import annotations

import re

from policyc.cli import main
from policyc.importers.names import apply
from tests.pdftext import key

BEHAVIOUR = """\
Moorside Primary School

Behaviour Policy

Approved by the Governing Body on 12 March 2025
Signed: Imran Qureshi, Headteacher

1. Aims

1.1 Moorside Primary School expects every pupil to behave well. Mr Imran Qureshi, the Headteacher, \
leads this work with the Local Governing Body.

1.2 Parents can contact the office on 01234 567890 or office@moorside.sch.uk, or see www.moorside.sch.uk.

2. Review

2.1 The Governing Body reviews this policy. The next review is due in October 2026.
"""


def test_names_become_placeholders_and_the_rest_is_listed(tmp_path, capsys):
    (tmp_path / "behaviour.txt").write_text(BEHAVIOUR, encoding="utf-8")
    src = tmp_path / "src"
    assert main(["import", str(tmp_path / "behaviour.txt"), "--source", str(src), "--placeholders"]) == 0
    report = capsys.readouterr().out
    model = (src / "policies" / "behaviour.yaml").read_text()
    flat = " ".join(model.split())
    assert "Mr {{ holder.headteacher }}, the {{ role.headteacher }}" in flat  # the holder, his "Mr" as written
    assert "the Local Governing Body" in flat  # another body's name, not {{ body.name }} after "Local"
    assert "The {{ body.name }} reviews" in flat
    assert "Imran" not in model and "Moorside" not in model.split("office@")[0]
    left = [line.split(": ", 1)[1] for line in report.splitlines() if line.startswith("left as written")]
    assert left == ["'Local Governing Body' (a governing body's name, in clause moorside-primary-school-expects)",
                    "'office@moorside.sch.uk' (an email address, in clause parents-can-contact-office)",
                    "'01234 567890' (a telephone number, in clause parents-can-contact-office)",
                    "'www.moorside.sch.uk' (a web address, in clause parents-can-contact-office)",
                    "'October 2026' (a date, in clause governing-body-reviews-policy)"]
    # Built for the school, the placeholders give the document's words back.
    assert main(["--source", str(src), "--output", str(tmp_path / "out"), "-q", "--format", "html",
                 "--today", "2026-11-22"]) == 0
    [page] = (tmp_path / "out").rglob("behaviour.html")
    text = key(re.sub(r"<[^>]+>", " ", page.read_text()))
    for sentence in ("Moorside Primary School expects every pupil to behave well.",
                     "Mr Imran Qureshi, the Headteacher, leads this work with the Local Governing Body.",
                     "The Governing Body reviews this policy."):
        assert key(sentence) in text


def test_a_name_inside_a_longer_name_is_not_a_placeholder():
    assert apply("Ask the Local Governing Body.", None, "Governing Body", {}) == "Ask the Local Governing Body."
    assert apply("Our Governing Body agrees. Governing Body minutes.", None, "Governing Body", {}) == \
        "Our {{ body.name }} agrees. {{ body.name }} minutes."
    assert apply("Mrs Ann Lee leads.", None, None, {}, {"dsl": "Ann Lee"}) == "Mrs {{ holder.dsl }} leads."
