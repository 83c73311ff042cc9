"""site/reads.py: what each site page is said to read, checked against what the pages show.

The byte-for-byte check of session builds against clean ones is tests/test_session.py; these
check the rule itself on the example trust: a school's page reads that school and nothing of
another's, the trust's pages read everything, and an unknown page is always made again."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from pathlib import Path

from policyc.outputs.plan import Output, plan_outputs
from policyc.pipeline import check_all
from policyc.render.writers import Context
from policyc.site.reads import Reads, page_reads

EXAMPLE = Path(__file__).resolve().parents[2] / "policy_src"
TODAY = dt.date(2026, 11, 22)


def _context(checked, histories=None, sizes=None) -> Context:
    ctx = Context(Path("/nowhere"), checked.project, histories or checked.histories, ("html", "pdf"), TODAY)
    ctx.sizes = sizes or {}
    return ctx


def _pages(checked) -> list[Output]:
    return [o for o in plan_outputs(checked.histories, ("html", "pdf")) if o.policy is None and o.format != "assets"]


def test_a_school_page_reads_its_own_school_only():
    checked = check_all(EXAMPLE)
    other = checked.project.schools[1].slug
    # another school's policy, remade (a new object with the same words): as a save of its file gives
    changed = [replace(h) if h.current.school_slug == other else h for h in checked.histories]
    before, after = _context(checked), _context(checked, changed)
    for out in _pages(checked):
        was, now = page_reads(out, before), page_reads(out, after)
        assert was is not None and now is not None, out.format
        if out.school and out.school != other:
            assert now.same_as(was), out.path
        else:  # that school's own pages, and the trust's, read the remade policy
            assert not now.same_as(was), out.path


def test_the_size_of_a_pdf_reaches_its_school_and_the_trust_only():
    checked = check_all(EXAMPLE)
    history = next(h for h in checked.histories if h.in_force is not None)
    pdf = f"{history.current.school_slug}/{history.current.policy_id}.pdf"
    before, after = _context(checked, sizes={pdf: 1000}), _context(checked, sizes={pdf: 2000})
    for out in _pages(checked):
        same = page_reads(out, after).same_as(page_reads(out, before))
        assert same == (out.school not in ("", history.current.school_slug)), out.path


def test_the_date_the_formats_and_the_trust_reach_every_page():
    checked = check_all(EXAMPLE)
    base = _context(checked)
    later = _context(checked)
    later.today = TODAY + dt.timedelta(days=1)
    fewer = Context(Path("/nowhere"), checked.project, checked.histories, ("html",), TODAY)
    renamed = Context(Path("/nowhere"), replace(checked.project, trust=replace(checked.project.trust)),
                      checked.histories, ("html", "pdf"), TODAY)
    for out in _pages(checked):
        was = page_reads(out, base)
        assert was.same_as(page_reads(out, _context(checked)))
        for ctx in (later, fewer, renamed):
            assert not page_reads(out, ctx).same_as(was), out.path


def test_a_page_of_a_kind_not_named_is_always_made_again():
    checked = check_all(EXAMPLE)
    assert page_reads(Output("somewhere.txt", "toy-page"), _context(checked)) is None
    reads = Reads((object(),), (1,))
    assert not reads.same_as(None)
    assert not reads.same_as(Reads((object(),), (1,)))  # objects by identity
    assert reads.same_as(Reads(reads.objects, (1,)))
    assert not reads.same_as(Reads(reads.objects, (2,)))
