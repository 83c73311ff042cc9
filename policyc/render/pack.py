"""The review pack: what a clerk sends governors before the meeting that decides a change.

One document, HTML and PDF, for each school's policy awaiting ratification (or, for a
policy the trust board approves once for every school, one for the board): a cover saying
what is being decided, between which versions, a summary in plain English of what changes
and why, the redline (the same change model and writer as the build's redline) or, for a
first version, the policy itself, and a resolution page on which the decision is recorded
and signed. It reads as one document: nothing but the resolution starts a new page.
"""

from __future__ import annotations

from policyc.history.compare import compare
from policyc.history.ratify import next_version
from policyc.text.dates import long_date
from policyc.names import inside
from policyc.outputs.layout import BOARD, assets_for
from policyc.outputs.plan import Output
from policyc.render.html import render_page
from policyc.render.pdf import render_pdf
from policyc.render.present import Words, house_lines
from policyc.render.redline import redline_context
from policyc.render.writers import Context, write


def pack_context(out: Output, ctx: Context, for_pdf: bool) -> dict:
    history = out.history
    current = out.policy  # the proposed text, as much of it as the pack shows
    latest = history.changed_since
    board = out.school == BOARD
    proposed = history.proposed_version or next_version(history) or "to be decided"  # as ratify would record it
    meeting = current.ratification.meeting
    if latest is not None:
        in_force = f"Version {latest.version} (ratified {long_date(latest.date)})"
        compared = f"from version {latest.version} to the proposed version {proposed}"
        context = redline_context(compare(latest.policy, current), current, f"version {latest.version}",
                                  f"proposed version {proposed}", True)
    else:
        in_force = ""
        compared = f"proposed version {proposed}, the first to be ratified"
        context = dict(title=current.title, school_name=current.school_name, body=current.body,
                       has_changes=True, summary=[], summary_values=[], reasons=[], sections=[])
    return dict(
        context,
        board=board,
        for_pdf=for_pdf,
        assets="" if for_pdf else assets_for(out.path),
        decider=(ctx.display_name if board else current.school_name),
        in_force=in_force,
        proposed=proposed,
        compared=compared,
        approver=current.body,
        meeting=long_date(meeting) if meeting else "",
        prepared=long_date(ctx.today),
        members=out.members,
        first_version=latest is None,
        policy=current,
        words=_words(current, for_pdf),
        # Every printed page: what it is, for whom, the version proposed, and that it is not in force.
        furniture=[" · ".join(p for p in (current.title, ctx.display_name if board else current.school_name,
                                          f"Review pack: proposed version {proposed}", "DRAFT") if p)]
        + house_lines(current),
    )


def _words(policy, for_pdf: bool) -> Words:
    """A first version's text, in the pack itself: no links to pages beside it, and on the web
    page each table in a clause in its own scrolling region, as on the policy's page."""
    words = Words(policy, link_siblings=False)
    words.scroll_tables = not for_pdf
    return words


def write_pack_html(out: Output, ctx: Context) -> None:
    html = render_page("review_pack.html.j2", **pack_context(out, ctx, False))
    write(inside(ctx.root, out.path), html.encode("utf-8"))


def write_pack_pdf(out: Output, ctx: Context) -> None:
    html = render_page("review_pack.html.j2", **pack_context(out, ctx, True))
    write(inside(ctx.root, out.path), render_pdf(html, out.path))
