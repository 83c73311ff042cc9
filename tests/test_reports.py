"""The terminal text of policyc compliance and as-of."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from policyc.compliance.period import periods
from policyc.compliance.report import findings
from policyc.compliance.requirements import statutory
from policyc.pipeline import check_all
from policyc.reports import compliance_json, compliance_text, period_words, requirements_text
from tests.helpers import EXAMPLE

TODAY = dt.date(2026, 12, 3)


def test_each_school_has_a_line_of_counts_then_its_requirements_worst_first():
    checked = check_all(Path(EXAMPLE))
    found = findings(checked.project, checked.histories, TODAY, {"larkspur-fields"})
    text = compliance_text("Trust", found, TODAY, statutory())
    lines = text.splitlines()
    assert lines[0] == "Trust: what each school must have, as at 3 December 2026"
    school = next(line for line in lines if line.startswith("Larkspur Fields School"))
    assert school.startswith("Larkspur Fields School (academy, special): 1 missing, ")
    states = [line.split("  ")[1].strip() for line in lines if line.startswith("  ") and not line.startswith("    ")]
    order = ["Missing", "Not in force", "Review overdue", "Met outside policyc", "Not checked"]
    assert [s for s in order if s in states] == sorted(set(states) & set(order), key=order.index)
    assert states.index("Missing") < states.index("Review overdue")
    data = compliance_json(found, TODAY, statutory())
    assert data["as_at"] == "2026-12-03" and {f["school"] for f in data["findings"]} == {"larkspur-fields"}


def test_the_list_names_every_requirement_once():
    listed = statutory()
    text = requirements_text(listed, [])
    for r in listed.requirements:
        assert text.count(f"\n{r.id}: {r.name}\n") == 1


def test_a_period_reads_from_its_first_day_to_its_last_or_to_now():
    checked = check_all(Path(EXAMPLE))
    history = next(h for h in checked.histories
                   if (h.current.school_slug, h.current.policy_id) == ("hollin-bank-primary", "social-media"))
    first, latest = periods(history)
    assert period_words(first) == "in force from 8 October 2025 to 13 October 2026"
    assert period_words(latest) == "in force from 14 October 2026 to now"


def test_fail_on_offers_every_problem_a_finding_can_have_in_the_same_order():
    from policyc.cli import COMPLIANCE_GROUPS
    from policyc.compliance.report import PROBLEMS
    assert COMPLIANCE_GROUPS == tuple(PROBLEMS)
