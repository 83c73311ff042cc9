"""outputs/plan.py: every output of a build, each in the phase a build writes it in."""

from __future__ import annotations

from pathlib import Path

from policyc.outputs import formats
from policyc.outputs.layout import ASSETS, DASHBOARD, TRUST_INDEX
from policyc.outputs.plan import ASSETS_PHASE, DOCUMENT, SITE, plan_outputs
from policyc.pipeline import check_all

EXAMPLE = Path(__file__).resolve().parents[2] / "policy_src"


def test_each_output_has_the_phase_it_is_written_in():
    checked = check_all(EXAMPLE)
    plan = plan_outputs(checked.histories, ("html", "pdf"))
    phases = {o.path: o.phase for o in plan}
    assert phases[ASSETS] == ASSETS_PHASE
    assert phases[TRUST_INDEX] == phases[DASHBOARD] == SITE
    for out in plan:
        assert out.phase in (ASSETS_PHASE, DOCUMENT, SITE)
        # a document is a policy's, in a format of the table (its page, PDF, redline or pack)
        assert (out.phase == DOCUMENT) == (out.policy is not None), out.path
        if out.phase == DOCUMENT:
            assert formats.of_output(out.format) is not None, out.format
    schools = {h.current.school_slug for h in checked.histories}
    assert {o.school for o in plan if o.phase == ASSETS_PHASE} == schools | {""}  # one per bundle, and the trust's
    assert len(plan) == len(phases)  # no path planned twice
