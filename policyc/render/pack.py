"""The review pack: what a clerk sends governors before the meeting that decides a change.

One document, HTML and PDF, for each school's policy awaiting ratification (or, for a
policy the trust board approves once for every school, one for the board): a cover page
saying what is being decided, a one-page summary in plain English of what changes and
why, the redline, and a resolution page on which the decision is recorded and signed.
"""

from __future__ import annotations

import posixpath
import shlex

from policyc.build.plan import BOARD, Output, review_path
from policyc.history.compare import compare
from policyc.history.ratify import next_version
from policyc.history.status import long_date
from policyc.names import inside
from policyc.render.html import render_page
from policyc.render.pdf import render_pdf
from policyc.render.redline import redline_context
from policyc.render.writers import Context, assets_for, write


def pack_context(out: Output, ctx: Context, for_pdf: bool) -> dict:
    history = out.history
    current = out.policy  # the proposed text, as much of it as the pack shows
    latest = history.changed_since
    board = out.school == BOARD
    proposed = history.proposed_version or next_version(history) or "to be decided"  # as ratify would record it
    meeting = current.ratification.meeting
    if latest is not None:
        in_force = f"Version {latest.version} (ratified {long_date(latest.date)})"
        old_label = f"version {latest.version}"
        context = redline_context(compare(latest.policy, current), current, old_label,
                                  f"proposed version {proposed}", True)
    else:
        in_force = ""
        context = dict(title=current.title, school_name=current.school_name, body=current.body,
                       has_changes=True, summary=[], summary_values=[], reasons=[], sections=[])
    here = out.path.rsplit("/", 1)[0]
    draft_page = review_path(current, "html")
    command = ["policyc", "ratify", "--policy", current.policy_id]
    if not board:
        command += ["--school", current.school_slug]
    command += ["--date", "YYYY-MM-DD", "--by", "Name, Role", "--minute", "REF"]
    return dict(
        context,
        board=board,
        assets="" if for_pdf else assets_for(out.path),
        decider=(ctx.display_name if board else current.school_name),
        in_force=in_force,
        proposed=proposed,
        approver=current.body,
        meeting=long_date(meeting) if meeting else "",
        prepared=long_date(ctx.today),
        members=out.members,
        draft_link="" if for_pdf else posixpath.relpath(draft_page, here),
        first_version=latest is None,
        command=" ".join(shlex.quote(c) for c in command),
    )


def write_pack_html(out: Output, ctx: Context) -> None:
    html = render_page("review_pack.html.j2", **pack_context(out, ctx, False))
    write(inside(ctx.root, out.path), html.encode("utf-8"))


def write_pack_pdf(out: Output, ctx: Context) -> None:
    html = render_page("review_pack.html.j2", **pack_context(out, ctx, True))
    write(inside(ctx.root, out.path), render_pdf(html, out.path))


PACK_WRITERS = {"pack-html": write_pack_html, "pack-pdf": write_pack_pdf}
